package dev.cronhook.scheduler.jobs;

/** Where a one-time job stands; cron jobs have no status of their own. */
public enum OnceStatus {
    SCHEDULED, RUNNING, RETRYING, SUCCEEDED, FAILED;

    public String wireName() {
        return name().toLowerCase();
    }

    static OnceStatus fromWire(String value) {
        return value == null ? null : valueOf(value.toUpperCase());
    }
}
