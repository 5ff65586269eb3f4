package dev.cronhook.incident.checks;

import java.time.Instant;

/** A change of a check's status, with why; {@code number} orders the flips of one check. */
public record Flip(String checkId, long number, CheckStatus from, CheckStatus to, String reason, Instant createdAt) {
}
