-- The delivery outbox: one row per event and endpoint, and the log of every attempt to send it.
-- Written in the SQL subset shared by PostgreSQL and H2 (PostgreSQL mode).

CREATE TABLE deliveries (
    id              VARCHAR(40)              PRIMARY KEY,
    endpoint_id     VARCHAR(64)              NOT NULL,
    event_id        VARCHAR(100)             NOT NULL,
    event_type      VARCHAR(100)             NOT NULL,
    -- the event's JSON as UTF-8 text; sent and signed byte for byte as stored
    body            TEXT                     NOT NULL,
    status          VARCHAR(16)              NOT NULL,
    attempt_count   INT                      NOT NULL,
    -- attempt_count when the current budget of attempts began: 0, or what it was at the last redelivery
    budget_start    INT                      NOT NULL,
    -- while pending: when the next attempt is due, or, while a node is sending it, when that node's lease runs out.
    -- NULL once succeeded or failed for good, so only pending deliveries are in the claim index's range.
    next_attempt_at TIMESTAMP WITH TIME ZONE,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL
);

-- The worker claims due deliveries in time order.
CREATE INDEX deliveries_due ON deliveries (next_attempt_at);
-- An endpoint's deliveries, newest first, paged by id.
CREATE INDEX deliveries_endpoint ON deliveries (endpoint_id, id);

CREATE TABLE delivery_attempts (
    delivery_id   VARCHAR(40)              NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
    number        INT                      NOT NULL,
    started_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    duration_ms   BIGINT                   NOT NULL,
    outcome       VARCHAR(20)              NOT NULL,
    status_code   INT,
    error         VARCHAR(1000),
    response_body TEXT,
    PRIMARY KEY (delivery_id, number)
);
