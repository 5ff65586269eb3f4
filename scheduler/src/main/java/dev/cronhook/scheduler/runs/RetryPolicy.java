package dev.cronhook.scheduler.runs;

import dev.cronhook.delivery.attempts.AttemptResult;
import dev.cronhook.delivery.attempts.RetrySchedule;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * When a one-time job's execution tries again (PRODUCT.md section 5): after a retryable failure, wait the delay for
 * that attempt — or the server's longer {@code Retry-After} — measured from the end of the failed attempt.
 *
 * @param delays the waits before attempts 2, 3, …; their count + 1 is the most attempts an execution gets
 */
public record RetryPolicy(List<Duration> delays) {
    /** A {@code Retry-After} beyond this is taken as this: a misconfigured server should not park a run for years. */
    static final Duration MAX_RETRY_AFTER = Duration.ofDays(7);

    public RetryPolicy {
        delays = List.copyOf(delays);
        schedule(delays);
    }

    public static RetryPolicy defaults() {
        return new RetryPolicy(List.of(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(30),
                Duration.ofHours(2), Duration.ofHours(8)));
    }

    public int maxAttempts() {
        return delays.size() + 1;
    }

    /** When attempt {@code attemptNumber + 1} is due after {@code result}, or null when there is none. */
    Instant nextAttemptAt(int attemptNumber, AttemptResult result) {
        return schedule(delays).nextAttemptAt(attemptNumber, result, result.finishedAt());
    }

    private static RetrySchedule schedule(List<Duration> delays) {
        return new RetrySchedule(delays, MAX_RETRY_AFTER);
    }
}
