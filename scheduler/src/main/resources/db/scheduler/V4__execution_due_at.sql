-- When the current attempt of an execution is due: its scheduled time for the first attempt, the retry's due time
-- for a later one. A node that takes over an abandoned attempt sends it then, never earlier.
ALTER TABLE executions ADD COLUMN due_at TIMESTAMP WITH TIME ZONE;
