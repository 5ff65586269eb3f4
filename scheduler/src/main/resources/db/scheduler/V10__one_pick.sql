-- One pick: every run that waits to be claimed is an executions row, and next_attempt_at says when it is due —
--   a job's next run: one 'planned' row per job that has a next run (its id is 'next_' and the job id's suffix),
--                     moved on by each claim and by every write of the job's next_run_at;
--   a retry:          'retry_scheduled', as before;
--   a run handed back (its node stopped, died, or its lease ran out): 'running' without a lease.
-- next_attempt_at is NULL on every other row, so the claim's index holds only rows that wait.
INSERT INTO executions (id, job_id, run_trigger, scheduled_for, slot_time, status, attempt_count, next_attempt_at,
                        created_at, updated_at)
    SELECT 'next_' || SUBSTRING(id, 5), id, 'schedule', next_run_at, NULL, 'planned', 0, next_run_at, created_at,
           updated_at
    FROM jobs WHERE next_run_at IS NOT NULL;
-- The claim reads waiting rows in (next_attempt_at, id) order with a LIMIT; the jobs table is no longer scanned.
DROP INDEX executions_next_attempt_at;
CREATE INDEX executions_next_attempt_at_id ON executions (next_attempt_at, id);
DROP INDEX jobs_next_run_at_id;
