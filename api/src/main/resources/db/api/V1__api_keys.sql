-- API keys: only a SHA-256 hash of each key is stored; the key itself is shown once, when created.
CREATE TABLE api_keys (
    id           VARCHAR(40)              PRIMARY KEY,
    name         VARCHAR(200)             NOT NULL,
    scope        VARCHAR(10)              NOT NULL,
    prefix       VARCHAR(20)              NOT NULL,
    key_hash     VARCHAR(64)              NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    last_used_at TIMESTAMP WITH TIME ZONE,
    CONSTRAINT api_keys_hash UNIQUE (key_hash)
);
