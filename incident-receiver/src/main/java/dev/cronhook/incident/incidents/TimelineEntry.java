package dev.cronhook.incident.incidents;

import java.time.Instant;

/**
 * One line of an incident's history.
 *
 * @param type {@code opened}, {@code grouped}, {@code rate_limited}, {@code acknowledged}, {@code reopened},
 *             {@code resolved} or {@code note}
 */
public record TimelineEntry(Instant at, String type, String message) {
}
