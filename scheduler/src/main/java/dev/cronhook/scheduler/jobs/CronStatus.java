package dev.cronhook.scheduler.jobs;

import java.time.Instant;

/** Where a cron job stands (PRODUCT.md section 10): derived from its definition and the time, never stored. */
public enum CronStatus {
    ACTIVE, PAUSED, ENDED;

    /** Ended once its {@code end_at} has passed, whether or not it was paused: it will never run again. */
    static CronStatus of(JobDefinition definition, Instant now) {
        if (definition.endAt() != null && now.isAfter(definition.endAt())) {
            return ENDED;
        }
        return definition.enabled() ? ACTIVE : PAUSED;
    }

    public String wireName() {
        return name().toLowerCase();
    }
}
