package dev.cronhook.delivery.outbox;

import dev.cronhook.delivery.attempts.AttemptResult;
import dev.cronhook.delivery.attempts.Outcome;
import dev.cronhook.delivery.attempts.RetrySchedule;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;

/** What follows an attempt: a pure function of its result, its place in the attempt budget, and the delay table. */
final class RetryPolicy {
    private static final int GONE = 410;

    sealed interface Verdict {
    }

    record Succeeded() implements Verdict {
    }

    record RetryAt(Instant at) implements Verdict {
    }

    /** @param gone the endpoint answered 410: its owner disables it */
    record Failed(boolean gone) implements Verdict {
    }

    private final RetrySchedule schedule;

    RetryPolicy(List<Duration> delays) {
        // A subscriber cannot park a delivery for longer than the longest wait in the table.
        this.schedule = new RetrySchedule(delays, delays.isEmpty() ? Duration.ZERO : Collections.max(delays));
    }

    /**
     * @param attemptInBudget 1 for the first attempt since the delivery was queued or redelivered
     * @param now when the attempt finished; retry delays count from here
     */
    Verdict decide(AttemptResult result, int attemptInBudget, Instant now) {
        if (result.outcome() == Outcome.SUCCESS) {
            return new Succeeded();
        }
        if (result.statusCode() != null && result.statusCode() == GONE) {
            return new Failed(true);
        }
        Instant next = schedule.nextAttemptAt(attemptInBudget, result, now);
        return next == null ? new Failed(false) : new RetryAt(next);
    }
}
