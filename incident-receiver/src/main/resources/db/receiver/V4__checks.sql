-- Heartbeat checks (PRODUCT.md section 11): a job on someone else's machine pings its check; one that stays silent past
-- its deadline goes down and opens an incident in its integration.
CREATE TABLE checks (
    id               VARCHAR(40)              PRIMARY KEY,
    -- the secret part of the ping URL, not the id: knowing a check's id does not let anyone ping it
    ping_key         VARCHAR(36)              NOT NULL,
    name             VARCHAR(200)             NOT NULL,
    -- exactly one of period_seconds and cron is set
    period_seconds   BIGINT,
    cron             VARCHAR(200),
    timezone         VARCHAR(64),
    grace_seconds    BIGINT                   NOT NULL,
    -- NULL: the built-in integration (also when the integration named is deleted)
    integration_id   VARCHAR(40)              REFERENCES integrations (id) ON DELETE SET NULL,
    tags             VARCHAR(500)             NOT NULL,
    -- new, up, down or paused; grace is up past next_expected_at, worked out when read
    status           VARCHAR(8)               NOT NULL,
    last_ping_at     TIMESTAMP WITH TIME ZONE,
    last_start_at    TIMESTAMP WITH TIME ZONE,
    last_duration_ms BIGINT,
    next_expected_at TIMESTAMP WITH TIME ZONE,
    -- when the evaluator must look at the check next (its deadline, or the next period it stays down); NULL for a
    -- check that cannot go down (new, paused): the evaluator's index holds only armed checks
    due_at           TIMESTAMP WITH TIME ZONE,
    pings            BIGINT                   NOT NULL,
    -- every change of the row increments it: a flip is a conditional update that exactly one node wins
    version          BIGINT                   NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT checks_ping_key UNIQUE (ping_key)
);
CREATE INDEX checks_due_at ON checks (due_at);

CREATE TABLE check_pings (
    check_id    VARCHAR(40)              NOT NULL REFERENCES checks (id) ON DELETE CASCADE,
    n           BIGINT                   NOT NULL,
    kind        VARCHAR(8)               NOT NULL,
    exit_code   INT,
    method      VARCHAR(8)               NOT NULL,
    remote_addr VARCHAR(64),
    user_agent  VARCHAR(300),
    body        TEXT,
    duration_ms BIGINT,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (check_id, n)
);
CREATE INDEX check_pings_created_at ON check_pings (created_at);

CREATE TABLE check_flips (
    check_id    VARCHAR(40)              NOT NULL REFERENCES checks (id) ON DELETE CASCADE,
    n           BIGINT                   NOT NULL,
    from_status VARCHAR(8)               NOT NULL,
    to_status   VARCHAR(8)               NOT NULL,
    reason      VARCHAR(300)             NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (check_id, n)
);
CREATE INDEX check_flips_created_at ON check_flips (created_at);
