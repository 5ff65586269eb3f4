package dev.cronhook.scheduler.runs;

import dev.cronhook.scheduler.jobs.Job;
import java.time.Instant;

/**
 * A run this node has claimed in the database and will send at {@code dueAt} (or at once when overdue).
 * {@code dueAt} is the scheduled time for a first attempt and the retry's due time for a later one.
 * {@code callbackUrl}: where the target reports the end of this attempt, for a job that completes by callback; else
 * null. It holds a secret, so it is left out of {@link #toString()}.
 */
public record ClaimedRun(String executionId, Job job, RunTrigger trigger, Instant scheduledFor, int attemptNumber,
                  Instant dueAt, String callbackUrl) {

    /** A run of a job that completes by its response. */
    public ClaimedRun(String executionId, Job job, RunTrigger trigger, Instant scheduledFor, int attemptNumber,
                      Instant dueAt) {
        this(executionId, job, trigger, scheduledFor, attemptNumber, dueAt, null);
    }

    static ClaimedRun first(String executionId, Job job, RunTrigger trigger, Instant scheduledFor) {
        return new ClaimedRun(executionId, job, trigger, scheduledFor, 1, scheduledFor);
    }

    @Override
    public String toString() {
        return "ClaimedRun[" + executionId + " of " + job.id() + ", " + trigger.wireName() + " for " + scheduledFor
                + ", attempt " + attemptNumber + " due " + dueAt + "]";
    }
}
