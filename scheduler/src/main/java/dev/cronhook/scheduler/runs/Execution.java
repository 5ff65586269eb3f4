package dev.cronhook.scheduler.runs;

import dev.cronhook.delivery.attempts.StoredAttempt;
import java.time.Instant;
import java.util.List;

/** One scheduled or manual run of a job; retries are further attempts of the same execution. */
public record Execution(
        String id,
        String jobId,
        RunTrigger trigger,
        Instant scheduledFor,
        ExecutionStatus status,
        Instant nextAttemptAt,
        List<StoredAttempt> attempts,
        Instant createdAt) {
}
