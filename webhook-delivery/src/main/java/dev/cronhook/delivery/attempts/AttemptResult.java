package dev.cronhook.delivery.attempts;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What one attempt produced.
 *
 * @param statusCode the response status; present when there was a response (not for a timeout, a connection error
 *     or a blocked attempt)
 * @param error short human-readable description of what went wrong; null on success
 * @param responseBody the start of the response body as text, at most {@link #STORED_BODY_BYTES}
 *     bytes of it; null when there was no response
 * @param retryAfter the server's {@code Retry-After}, when it sent a usable one with a retryable
 *     status (408, 429, 5xx)
 * @param startedAt when the request was written: after its turn in its destination's queue
 * @param queuedMillis how long it waited for that turn (a free connection to its destination)
 */
public record AttemptResult(
        Outcome outcome,
        Integer statusCode,
        String error,
        String responseBody,
        Duration retryAfter,
        Instant startedAt,
        Instant finishedAt,
        long queuedMillis) {

    /** How much of a response body is kept. */
    public static final int STORED_BODY_BYTES = 4 * 1024;

    public AttemptResult {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        if (queuedMillis < 0) {
            throw new IllegalArgumentException("queuedMillis must not be negative");
        }
        boolean hasResponse = outcome != Outcome.TIMEOUT && outcome != Outcome.CONNECTION_ERROR
                && outcome != Outcome.BLOCKED;
        if (hasResponse != (statusCode != null)) {
            throw new IllegalArgumentException(
                    "statusCode must be present exactly when there was a response, got "
                            + statusCode + " for " + outcome.wireName());
        }
    }

    /** An attempt that did not wait for its turn. */
    public AttemptResult(Outcome outcome, Integer statusCode, String error, String responseBody, Duration retryAfter,
                         Instant startedAt, Instant finishedAt) {
        this(outcome, statusCode, error, responseBody, retryAfter, startedAt, finishedAt, 0);
    }

    /** For the network policy: an attempt refused before any connection was made. */
    public static AttemptResult blocked(String reason, Instant at) {
        return new AttemptResult(Outcome.BLOCKED, null, reason, null, null, at, at);
    }

    /** The same result, having waited {@code millis} in its destination's queue before it started. */
    public AttemptResult queuedFor(long millis) {
        return new AttemptResult(outcome, statusCode, error, responseBody, retryAfter, startedAt, finishedAt,
                Math.max(0, millis));
    }

    public long durationMillis() {
        return Duration.between(startedAt, finishedAt).toMillis();
    }

    /**
     * Whether trying again later could succeed: transport failures and timeouts are transient,
     * and among HTTP errors only 408, 429 and 5xx say "not now" rather than "never".
     */
    public boolean retryable() {
        return switch (outcome) {
            case SUCCESS, BLOCKED, AWAITING_CALLBACK -> false;
            // A callback's failure is retried like a 5xx, its absence like a timeout (PRODUCT.md section 10).
            case TIMEOUT, CONNECTION_ERROR, CALLBACK_FAILED, CALLBACK_TIMEOUT -> true;
            case HTTP_ERROR -> isRetryableStatus(statusCode);
        };
    }

    public static boolean isRetryableStatus(int status) {
        return status == 408 || status == 429 || (status >= 500 && status <= 599);
    }
}
