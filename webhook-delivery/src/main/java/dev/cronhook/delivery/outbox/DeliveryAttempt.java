package dev.cronhook.delivery.outbox;

import java.time.Instant;

/** One HTTP attempt of a delivery, as stored. {@code outcome} is an {@link dev.cronhook.delivery.Outcome} wire name. */
public record DeliveryAttempt(
        int number,
        Instant startedAt,
        Instant finishedAt,
        long durationMs,
        String outcome,
        Integer statusCode,
        String error,
        String responseBody) {
}
