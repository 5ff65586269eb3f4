-- A running execution's lease end and a waiting execution's due time shared one column, next_attempt_at. They are
-- two now, each set only while it means something, so each index holds only live rows of its kind:
--   lease_until      while running: when its lease runs out (another node may then take the run over);
--   next_attempt_at  while retry_scheduled: when the next attempt is due;
--   due_at           when the attempt under way (or the last one) was due.
ALTER TABLE executions ADD COLUMN lease_until TIMESTAMP WITH TIME ZONE;
UPDATE executions SET lease_until = next_attempt_at, next_attempt_at = NULL,
    due_at = COALESCE(due_at, scheduled_for) WHERE status = 'running';
CREATE INDEX executions_lease_until ON executions (lease_until);
