package dev.cronhook.scheduler.runs;

import dev.cronhook.scheduler.jobs.Job;
import java.time.Instant;

/**
 * A run this node has claimed in the database and will send at {@code dueAt} (or at once when overdue).
 * {@code dueAt} is the scheduled time for a first attempt and the retry's due time for a later one.
 */
public record ClaimedRun(String executionId, Job job, RunTrigger trigger, Instant scheduledFor, int attemptNumber,
                  Instant dueAt) {

    static ClaimedRun first(String executionId, Job job, RunTrigger trigger, Instant scheduledFor) {
        return new ClaimedRun(executionId, job, trigger, scheduledFor, 1, scheduledFor);
    }
}
