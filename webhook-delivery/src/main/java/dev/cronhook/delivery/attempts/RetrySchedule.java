package dev.cronhook.delivery.attempts;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * When an attempt is tried again: after a retryable failure, wait the delay for that attempt — or the server's longer
 * {@code Retry-After}, up to {@code maxRetryAfter} — measured from when the failed attempt ended. Shared by job
 * retries and webhook deliveries, which differ only in their tables and caps.
 *
 * @param delays the waits before attempts 2, 3, …; their count + 1 is the most attempts
 * @param maxRetryAfter the longest {@code Retry-After} honoured: a misconfigured server cannot park work for years
 */
public record RetrySchedule(List<Duration> delays, Duration maxRetryAfter) {

    public RetrySchedule {
        delays = List.copyOf(delays);
        for (Duration delay : delays) {
            if (delay.isNegative()) {
                throw new IllegalArgumentException("retry delays cannot be negative");
            }
        }
    }

    public int maxAttempts() {
        return delays.size() + 1;
    }

    /**
     * When attempt {@code attemptNumber + 1} is due after {@code result}, counting from {@code ended}, or null when
     * there is none.
     */
    public Instant nextAttemptAt(int attemptNumber, AttemptResult result, Instant ended) {
        if (!result.retryable() || attemptNumber >= maxAttempts()) {
            return null;
        }
        Duration delay = delays.get(attemptNumber - 1);
        Duration asked = result.retryAfter();
        if (asked != null && asked.compareTo(delay) > 0) {
            delay = asked.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : asked;
        }
        return ended.plus(delay);
    }
}
