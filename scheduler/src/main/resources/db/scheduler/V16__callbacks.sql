-- completion: callback (PRODUCT.md section 10). A callback job's attempt that got a 2xx waits as an
-- 'awaiting_callback' execution whose next_attempt_at is its deadline: the one pick finds it there when no callback
-- came in time, as it finds every other row that waits.
ALTER TABLE jobs ADD COLUMN completion VARCHAR(10) DEFAULT 'response' NOT NULL;
ALTER TABLE jobs ADD COLUMN callback_timeout_seconds INTEGER DEFAULT 3600 NOT NULL;
-- One row per callback URL handed out, written with the claim that sends it: the SHA-256 of its token (the token is
-- never stored), the attempt it ends, and what the callback said once it came (verdict NULL until then). A callback
-- that comes before the 2xx is recorded waits here for it.
CREATE TABLE callbacks (
    token_hash     VARCHAR(64)              PRIMARY KEY,
    execution_id   VARCHAR(40)              NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
    attempt_number INT                      NOT NULL,
    verdict        VARCHAR(10),
    output         TEXT,
    received_at    TIMESTAMP WITH TIME ZONE,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX callbacks_execution ON callbacks (execution_id, attempt_number);
