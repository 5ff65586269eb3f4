package dev.cronhook.scheduler.runs;

import java.net.URI;
import java.time.Duration;

/**
 * How the scheduler runs.
 *
 * @param schedulerName   the Quartz scheduler name; nodes of one cluster share it
 * @param clustered       run Quartz as a cluster member (PostgreSQL)
 * @param postgres        the database is PostgreSQL (else H2)
 * @param tickInterval    how often a tick claims due runs (from the start of one tick to the next)
 * @param lookahead       how far ahead of now a tick claims runs; they then wait in memory for their exact millisecond
 * @param claimBatch      jobs claimed per transaction
 * @param catchUpAfter    a run claimed later than this after its time is recorded as a catch-up
 * @param leaseGrace      added to a run's timeout: a running execution untouched for that long is taken over
 * @param retention       how long finished executions are kept
 * @param shutdownGrace   how long a graceful stop waits for requests in flight
 * @param userAgent       sent with every job request
 * @param retries         how one-time jobs retry; cron jobs never do
 * @param publicUrl       how targets reach this server, for callback URLs; null when not set (no callback jobs then)
 */
public record SchedulerSettings(
        String schedulerName,
        boolean clustered,
        boolean postgres,
        Duration tickInterval,
        Duration lookahead,
        int claimBatch,
        Duration catchUpAfter,
        Duration leaseGrace,
        Duration retention,
        Duration shutdownGrace,
        String userAgent,
        RetryPolicy retries,
        URI publicUrl) {

    /** The settings a node runs with unless told otherwise; change one by name with its {@code with…} method. */
    public static SchedulerSettings defaults(boolean postgres) {
        return new SchedulerSettings("cronhook", postgres, postgres, Duration.ofSeconds(1), Duration.ofSeconds(2), 500,
                Duration.ofSeconds(2), Duration.ofSeconds(60), Duration.ofDays(30), Duration.ofSeconds(10),
                "Cronhook/" + version(), RetryPolicy.defaults(), null);
    }

    public SchedulerSettings withSchedulerName(String value) {
        return new SchedulerSettings(value, clustered, postgres, tickInterval, lookahead, claimBatch, catchUpAfter,
                leaseGrace, retention, shutdownGrace, userAgent, retries, publicUrl);
    }

    public SchedulerSettings withClustered(boolean value) {
        return new SchedulerSettings(schedulerName, value, postgres, tickInterval, lookahead, claimBatch,
                catchUpAfter, leaseGrace, retention, shutdownGrace, userAgent, retries, publicUrl);
    }

    public SchedulerSettings withTickInterval(Duration value) {
        return new SchedulerSettings(schedulerName, clustered, postgres, value, lookahead, claimBatch, catchUpAfter,
                leaseGrace, retention, shutdownGrace, userAgent, retries, publicUrl);
    }

    public SchedulerSettings withLookahead(Duration value) {
        return new SchedulerSettings(schedulerName, clustered, postgres, tickInterval, value, claimBatch,
                catchUpAfter, leaseGrace, retention, shutdownGrace, userAgent, retries, publicUrl);
    }

    public SchedulerSettings withClaimBatch(int value) {
        return new SchedulerSettings(schedulerName, clustered, postgres, tickInterval, lookahead, value,
                catchUpAfter, leaseGrace, retention, shutdownGrace, userAgent, retries, publicUrl);
    }

    public SchedulerSettings withCatchUpAfter(Duration value) {
        return new SchedulerSettings(schedulerName, clustered, postgres, tickInterval, lookahead, claimBatch, value,
                leaseGrace, retention, shutdownGrace, userAgent, retries, publicUrl);
    }

    public SchedulerSettings withLeaseGrace(Duration value) {
        return new SchedulerSettings(schedulerName, clustered, postgres, tickInterval, lookahead, claimBatch,
                catchUpAfter, value, retention, shutdownGrace, userAgent, retries, publicUrl);
    }

    public SchedulerSettings withRetention(Duration value) {
        return new SchedulerSettings(schedulerName, clustered, postgres, tickInterval, lookahead, claimBatch,
                catchUpAfter, leaseGrace, value, shutdownGrace, userAgent, retries, publicUrl);
    }

    public SchedulerSettings withShutdownGrace(Duration value) {
        return new SchedulerSettings(schedulerName, clustered, postgres, tickInterval, lookahead, claimBatch,
                catchUpAfter, leaseGrace, retention, value, userAgent, retries, publicUrl);
    }

    public SchedulerSettings withUserAgent(String value) {
        return new SchedulerSettings(schedulerName, clustered, postgres, tickInterval, lookahead, claimBatch,
                catchUpAfter, leaseGrace, retention, shutdownGrace, value, retries, publicUrl);
    }

    public SchedulerSettings withRetries(RetryPolicy value) {
        return new SchedulerSettings(schedulerName, clustered, postgres, tickInterval, lookahead, claimBatch,
                catchUpAfter, leaseGrace, retention, shutdownGrace, userAgent, value, publicUrl);
    }

    public SchedulerSettings withPublicUrl(URI value) {
        return new SchedulerSettings(schedulerName, clustered, postgres, tickInterval, lookahead, claimBatch,
                catchUpAfter, leaseGrace, retention, shutdownGrace, userAgent, retries, value);
    }

    /** The version from the jar manifest, or "dev" when running from classes. */
    public static String version() {
        String version = SchedulerSettings.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
