package dev.cronhook.scheduler;

import dev.cronhook.delivery.AttemptResult;
import java.time.Instant;

/** An attempt that ended, with what it decided: its execution's status and the next attempt, if one is owed. */
record FinishedAttempt(ClaimedRun run, AttemptResult result, ExecutionStatus status, Instant nextAttemptAt) {

    String eventType() {
        return status == ExecutionStatus.SUCCEEDED ? JobEvent.SUCCEEDED : JobEvent.FAILED;
    }
}
