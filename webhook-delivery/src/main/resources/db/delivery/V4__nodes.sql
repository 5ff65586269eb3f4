-- The nodes of a cluster (one row per process start): each heartbeats here, and a node whose heartbeat is older than
-- the node timeout is declared dead by a live one, which hands its claimed work to the others.
CREATE TABLE nodes (
    id                VARCHAR(40)              PRIMARY KEY,
    host              VARCHAR(300)             NOT NULL,
    -- alive, dead (declared by another node) or stopped (a graceful stop)
    state             VARCHAR(16)              NOT NULL,
    started_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    last_heartbeat_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- The node sending a pending delivery, while it holds its lease; NULL while the delivery waits for its time.
ALTER TABLE deliveries ADD COLUMN node_id VARCHAR(40);
-- The node that made the attempt; NULL for attempts made before nodes were recorded.
ALTER TABLE delivery_attempts ADD COLUMN node_id VARCHAR(40);
