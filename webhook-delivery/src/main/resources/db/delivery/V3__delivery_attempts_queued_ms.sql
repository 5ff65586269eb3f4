-- How long a delivery attempt waited in its destination's queue for a free connection before it was sent
-- (started_at is when it was sent). Attempts recorded before the queue existed did not wait.
ALTER TABLE delivery_attempts ADD COLUMN queued_ms BIGINT DEFAULT 0 NOT NULL;
