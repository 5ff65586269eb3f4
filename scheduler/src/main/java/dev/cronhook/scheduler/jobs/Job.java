package dev.cronhook.scheduler.jobs;

import java.time.Instant;

/** A stored job. {@code status} is set for one-time jobs only; {@code nextRunAt} is null when nothing is planned. */
public record Job(
        String id,
        JobDefinition definition,
        OnceStatus status,
        Instant nextRunAt,
        SigningSecrets secrets,
        Instant createdAt,
        Instant updatedAt) {

    public JobType type() {
        return definition.type();
    }
}
