package dev.cronhook.scheduler;

import java.time.Instant;

/** A run this node has claimed in the database and will send at {@code scheduledFor} (or at once when overdue). */
record ClaimedRun(String executionId, Job job, RunTrigger trigger, Instant scheduledFor, int attemptNumber) {
}
