package dev.cronhook.scheduler.runs;

import dev.cronhook.delivery.attempts.AttemptResult;
import java.time.Instant;

/** An attempt that ended, with what it decided: its execution's status and the next attempt, if one is owed. */
public record FinishedAttempt(ClaimedRun run, AttemptResult result, ExecutionStatus status, Instant nextAttemptAt) {
}
