-- Whether the job's last finished execution failed for good. Flipped only on a change, so the built-in incident loop
-- hears a success only when there may be an incident to resolve, instead of at every successful run.
ALTER TABLE jobs ADD COLUMN failing BOOLEAN DEFAULT FALSE NOT NULL;
