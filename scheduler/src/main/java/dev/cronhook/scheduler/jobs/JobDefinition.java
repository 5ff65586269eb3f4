package dev.cronhook.scheduler.jobs;

import java.net.URI;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;

/**
 * Everything a user sets on a job, already validated. Exactly one of {@code cron} and {@code runAt} is set;
 * {@code zone}, {@code endAt} (no slot after it runs; null for no end) and {@code pauseAfterFailures} (null: never),
 * {@code catchUp} and {@code jitterSeconds} (0: none) go with {@code cron}; {@code concurrency}, {@code completion} and
 * {@code callbackTimeoutSeconds} (how long a callback may take after the 2xx) apply to both kinds.
 */
public record JobDefinition(
        String name,
        URI url,
        String method,
        Map<String, String> headers,
        JobBody body,
        String cron,
        ZoneId zone,
        Instant runAt,
        Instant endAt,
        Integer pauseAfterFailures,
        Concurrency concurrency,
        CatchUp catchUp,
        int jitterSeconds,
        Completion completion,
        int callbackTimeoutSeconds,
        int timeoutSeconds,
        boolean enabled) {

    public JobType type() {
        return cron != null ? JobType.CRON : JobType.ONCE;
    }

    JobDefinition withEnabled(boolean value) {
        return new JobDefinition(name, url, method, headers, body, cron, zone, runAt, endAt, pauseAfterFailures,
                concurrency, catchUp, jitterSeconds, completion, callbackTimeoutSeconds, timeoutSeconds, value);
    }

    /** True when the change moves when the job runs, so the next run must be computed anew. */
    boolean scheduleDiffers(JobDefinition other) {
        return !java.util.Objects.equals(cron, other.cron)
                || !java.util.Objects.equals(zone, other.zone)
                || !java.util.Objects.equals(runAt, other.runAt)
                || !java.util.Objects.equals(endAt, other.endAt)
                || jitterSeconds != other.jitterSeconds;
    }
}
