package dev.cronhook.incident.incidents;

import java.time.Instant;

/**
 * One incident, as PRODUCT.md section 8 lists its fields.
 *
 * @param dedupKey null for events that carry no key (never grouped, never resolved by an event)
 * @param body the event's body: JSON text when {@code bodyIsJson}, else plain text; null for none
 * @param resolvedBy {@code auto} (an event) or {@code api}; null while open
 */
public record Incident(
        String id,
        long number,
        String integrationId,
        String dedupKey,
        String title,
        String body,
        boolean bodyIsJson,
        Severity severity,
        String priority,
        IncidentStatus status,
        long occurrences,
        Instant createdAt,
        Instant lastOccurrenceAt,
        Instant acknowledgedAt,
        Instant resolvedAt,
        String resolvedBy) {
}
