package dev.cronhook.incident.checks;

import java.time.Instant;

/**
 * One ping as it is listed.
 *
 * @param exitCode the exit code of {@code /ping/{uuid}/{code}}; null for the other forms
 * @param body the first {@link #MAX_BODY_BYTES} of the request body as UTF-8, or null when it had none
 * @param durationMs from the {@code start} before it to this success or failure; null for none
 */
public record Ping(String checkId, long number, PingKind kind, Integer exitCode, String method, String remoteAddr,
                   String userAgent, String body, Long durationMs, Instant createdAt) {
    public static final int MAX_BODY_BYTES = 10 * 1024;
}
