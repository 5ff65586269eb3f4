package dev.cronhook.delivery;

import java.time.Instant;

/**
 * One HTTP attempt as stored and shown: of a job's execution or of a webhook delivery.
 *
 * @param outcome an {@link Outcome} wire name
 * @param responseBody the first {@link AttemptResult#STORED_BODY_BYTES} of the response, as text
 */
public record StoredAttempt(
        int number,
        Instant startedAt,
        Instant finishedAt,
        long durationMs,
        String outcome,
        Integer statusCode,
        String error,
        String responseBody) {
}
