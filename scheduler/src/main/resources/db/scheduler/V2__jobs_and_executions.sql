-- Jobs, their executions and the attempts of each execution.
-- Written in the SQL subset shared by PostgreSQL and H2 (PostgreSQL mode).

CREATE TABLE jobs (
    id                    VARCHAR(40)              PRIMARY KEY,
    name                  VARCHAR(200)             NOT NULL,
    url                   VARCHAR(2048)            NOT NULL,
    method                VARCHAR(8)               NOT NULL,
    headers               TEXT                     NOT NULL,
    body                  TEXT,
    body_is_json          BOOLEAN                  NOT NULL,
    cron                  VARCHAR(200),
    timezone              VARCHAR(64),
    run_at                TIMESTAMP WITH TIME ZONE,
    timeout_seconds       INT                      NOT NULL,
    enabled               BOOLEAN                  NOT NULL,
    status                VARCHAR(16),
    next_run_at           TIMESTAMP WITH TIME ZONE,
    signing_secret        VARCHAR(100)             NOT NULL,
    previous_secret       VARCHAR(100),
    previous_secret_until TIMESTAMP WITH TIME ZONE,
    created_at            TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at            TIMESTAMP WITH TIME ZONE NOT NULL,
    -- bumped by every write; writes are conditional on it, so a claim and an API change never overwrite each other
    version               BIGINT                   NOT NULL
);

-- The claim query scans due jobs in time order.
CREATE INDEX jobs_next_run_at ON jobs (next_run_at);

CREATE TABLE executions (
    id              VARCHAR(40)              PRIMARY KEY,
    job_id          VARCHAR(40)              NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    run_trigger     VARCHAR(16)              NOT NULL,
    scheduled_for   TIMESTAMP WITH TIME ZONE NOT NULL,
    -- equals scheduled_for for scheduled and catch-up runs, NULL for manual ones: the unique key below then
    -- allows any number of manual runs but at most one execution per (job, scheduled time), on any node.
    slot_time       TIMESTAMP WITH TIME ZONE,
    status          VARCHAR(20)              NOT NULL,
    attempt_count   INT                      NOT NULL,
    -- for a running execution: when its lease runs out (another node may then take it over);
    -- for a retry_scheduled one: when the next attempt is due.
    next_attempt_at TIMESTAMP WITH TIME ZONE,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT executions_one_per_slot UNIQUE (job_id, slot_time)
);

CREATE INDEX executions_job ON executions (job_id, id);
CREATE INDEX executions_next_attempt_at ON executions (next_attempt_at);
CREATE INDEX executions_created_at ON executions (created_at);

CREATE TABLE attempts (
    execution_id  VARCHAR(40)              NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
    number        INT                      NOT NULL,
    started_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    duration_ms   BIGINT                   NOT NULL,
    outcome       VARCHAR(20)              NOT NULL,
    status_code   INT,
    error         VARCHAR(1000),
    response_body TEXT,
    PRIMARY KEY (execution_id, number)
);
