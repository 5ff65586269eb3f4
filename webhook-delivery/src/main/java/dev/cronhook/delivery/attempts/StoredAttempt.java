package dev.cronhook.delivery.attempts;

import java.time.Instant;

/**
 * One HTTP attempt as stored and shown: of a job's execution or of a webhook delivery.
 *
 * @param startedAt when the request was sent, after its wait for a connection
 * @param queuedMs how long it waited in its destination's queue for a connection
 * @param outcome an {@link Outcome} wire name
 * @param responseBody the first {@link AttemptResult#STORED_BODY_BYTES} of the response, as text
 * @param nodeId the node that made the attempt; null for attempts recorded before nodes were
 */
public record StoredAttempt(
        int number,
        Instant startedAt,
        Instant finishedAt,
        long durationMs,
        long queuedMs,
        String outcome,
        Integer statusCode,
        String error,
        String responseBody,
        String nodeId) {
}
