package dev.cronhook.scheduler.runs;

import dev.cronhook.delivery.attempts.StoredAttempt;
import java.time.Instant;
import java.util.List;

/**
 * One scheduled or manual run of a job; retries are further attempts of the same execution. {@code skipReason}: why
 * a skipped execution was never sent ({@code overlap}), otherwise null; {@code fireAt}: when its first attempt was due,
 * its slot plus its job's jitter; {@code callbacks}: the callbacks that came, by attempt; {@code callbackDeadline}: while
 * it awaits its callback, until when.
 */
public record Execution(
        String id,
        String jobId,
        RunTrigger trigger,
        Instant scheduledFor,
        Instant fireAt,
        ExecutionStatus status,
        String skipReason,
        Instant nextAttemptAt,
        List<StoredAttempt> attempts,
        List<Callback> callbacks,
        Instant callbackDeadline,
        Instant createdAt) {

    /** What the callback to attempt {@code attempt} said, and when it came (jobs that complete by callback). */
    public record Callback(int attempt, CallbackReport report, Instant receivedAt) {
    }
}
