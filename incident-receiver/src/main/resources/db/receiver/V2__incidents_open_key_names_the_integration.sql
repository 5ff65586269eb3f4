-- The open-incident lookup by (integration_id, open_key) could use two indexes: the unique (integration_id, open_key)
-- and incidents_integration (integration_id, id). While incidents has no statistics both cost the same to the
-- planner, and PostgreSQL's generic plan took incidents_integration, filtering open_key over every incident of the
-- integration (10,000 index entries per event in the intake benchmark); the column order of the unique key does not
-- change that. open_key now holds '<integration id>:<dedup key>' while the incident is open (integration ids hold no
-- ':'), so the lookup is one equality on one column that only the unique key below can serve.
-- Written in the SQL subset shared by PostgreSQL and H2 (PostgreSQL mode).

ALTER TABLE incidents DROP CONSTRAINT incidents_one_open;

UPDATE incidents SET open_key = integration_id || ':' || open_key WHERE open_key IS NOT NULL;

ALTER TABLE incidents ADD CONSTRAINT incidents_open_key UNIQUE (open_key);
