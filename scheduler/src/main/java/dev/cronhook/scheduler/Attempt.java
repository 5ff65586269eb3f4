package dev.cronhook.scheduler;

import java.time.Instant;

/** One HTTP attempt of an execution, as stored. */
public record Attempt(
        int number,
        Instant startedAt,
        Instant finishedAt,
        long durationMs,
        String outcome,
        Integer statusCode,
        String error,
        String responseBody) {
}
