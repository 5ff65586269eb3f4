-- Alerting controls (PRODUCT.md section 12).
-- An integration alerts on an incident once it has alert_after occurrences, and reminds every realert_minutes while
-- the incident stays triggered (NULL: never).
ALTER TABLE integrations ADD COLUMN alert_after INT DEFAULT 1 NOT NULL;
ALTER TABLE integrations ADD COLUMN realert_minutes INT;
-- alerted: incident.opened was sent (incidents before this migration were alerted when they opened);
-- muted: an active silence held that alert back, so the silence's end sends it if the incident is still triggered;
-- remind_at: when incident.reminder is next due, while the incident is triggered and alerted.
ALTER TABLE incidents ADD COLUMN alerted BOOLEAN DEFAULT TRUE NOT NULL;
ALTER TABLE incidents ADD COLUMN muted BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE incidents ADD COLUMN remind_at TIMESTAMP WITH TIME ZONE;
CREATE INDEX incidents_remind_at ON incidents (remind_at);

-- Silences: no matcher means every integration (or every key). end_handled is set by the one node that alerts the
-- incidents a silence muted, once it has ended.
CREATE TABLE silences (
    id             VARCHAR(40)              PRIMARY KEY,
    integration_id VARCHAR(40)              REFERENCES integrations (id) ON DELETE CASCADE,
    dedup_key      VARCHAR(500),
    starts_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    ends_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    comment        VARCHAR(500)             NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    end_handled    BOOLEAN                  DEFAULT FALSE NOT NULL
);
CREATE INDEX silences_ends_at ON silences (ends_at);
