package dev.cronhook.scheduler.runs;

import dev.cronhook.delivery.attempts.AttemptResult;
import java.time.Instant;

/**
 * An attempt that ended, with what it decided: its execution's status and the next attempt, if one is owed. A status
 * of {@code awaiting_callback} means it has not ended yet: its 2xx came, and its callback is awaited. {@code awaited}:
 * it was awaiting its callback, which (or whose deadline) ends it now.
 */
public record FinishedAttempt(ClaimedRun run, AttemptResult result, ExecutionStatus status, Instant nextAttemptAt,
                              boolean awaited) {

    public FinishedAttempt(ClaimedRun run, AttemptResult result, ExecutionStatus status, Instant nextAttemptAt) {
        this(run, result, status, nextAttemptAt, false);
    }

    /** Whether the attempt ended here (rather than starting to await its callback). */
    public boolean ended() {
        return status != ExecutionStatus.AWAITING_CALLBACK;
    }
}
