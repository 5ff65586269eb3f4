-- Notification webhook subscriptions (PRODUCT.md section 6). Their deliveries live in webhook-delivery's outbox.

CREATE TABLE webhooks (
    id                    VARCHAR(40)              PRIMARY KEY,
    nickname              VARCHAR(200)             NOT NULL,
    url                   VARCHAR(2048)            NOT NULL,
    -- sent verbatim as the Authorization header; never shown back
    authorization_value   VARCHAR(2000),
    -- JSON array of topic names, or ["*"]
    topics                VARCHAR(500)             NOT NULL,
    -- JSON array of job ids; NULL for every job
    job_ids               TEXT,
    enabled               BOOLEAN                  NOT NULL,
    -- why Cronhook disabled it (the endpoint answered 410 Gone); NULL when a person did
    disabled_reason       VARCHAR(500),
    signing_secret        VARCHAR(100)             NOT NULL,
    previous_secret       VARCHAR(100),
    previous_secret_until TIMESTAMP WITH TIME ZONE,
    created_at            TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at            TIMESTAMP WITH TIME ZONE NOT NULL
);
