package dev.cronhook.incident;

import dev.cronhook.incident.checks.PingKind;

/**
 * One request to a ping URL.
 *
 * @param exitCode 0–255 for {@code /ping/{uuid}/{code}}, else null
 * @param body the request body, of which the first 10 KiB is kept
 */
public record PingRequest(String pingKey, PingKind kind, Integer exitCode, String method, String remoteAddr,
                          String userAgent, byte[] body) {
}
