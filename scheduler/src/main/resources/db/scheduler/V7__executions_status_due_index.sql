-- Every query on executions by due time also names a status: abandoned leases (running), due retries and the earliest
-- retry (retry_scheduled). Led by the status, one index serves each as a range scan that stops at its bound, instead
-- of walking the leases of running executions to find retries; and executions carry one index less to update.
DROP INDEX executions_next_attempt_at;
CREATE INDEX executions_status_next_attempt ON executions (status, next_attempt_at);
