package dev.cronhook.scheduler.jobs;

import java.time.Instant;

/**
 * A stored job. {@code status} is set for one-time jobs only; {@code nextRunAt} is null when nothing is planned;
 * {@code pausedReason} says why a paused job was paused, when somebody said so; {@code missedRuns} counts the slots
 * a cron job missed while no node could run it and did not run later (its {@code catch_up} policy).
 */
public record Job(
        String id,
        JobDefinition definition,
        OnceStatus status,
        Instant nextRunAt,
        String pausedReason,
        long missedRuns,
        SigningSecrets secrets,
        Instant createdAt,
        Instant updatedAt) {

    public JobType type() {
        return definition.type();
    }

    /** When its next run is sent: {@link #nextRunAt} plus its jitter; null when nothing is planned. */
    public Instant fireAt() {
        return Jitter.fireAt(id, nextRunAt, definition.jitterSeconds());
    }

    /** Where a cron job stands at {@code now}; null for a one-time job, whose {@link #status} says it. */
    public CronStatus cronStatus(Instant now) {
        return type() == JobType.CRON ? CronStatus.of(definition, now) : null;
    }
}
