package dev.cronhook.scheduler;

import dev.cronhook.delivery.AttemptResult;
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
        for (Duration delay : delays) {
            if (delay.isNegative()) {
                throw new IllegalArgumentException("retry delays cannot be negative");
            }
        }
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
        if (!result.retryable() || attemptNumber >= maxAttempts()) {
            return null;
        }
        Duration delay = delays.get(attemptNumber - 1);
        Duration asked = result.retryAfter();
        if (asked != null && asked.compareTo(delay) > 0) {
            delay = asked.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : asked;
        }
        return result.finishedAt().plus(delay);
    }
}
