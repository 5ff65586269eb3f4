package dev.cronhook.incident.incidents;

import java.time.Instant;

/**
 * An incident with the state the rules keep on it: {@code alerted}, its opening was alerted; {@code muted}, a silence
 * held that alert back; {@code remindAt}, when {@code incident.reminder} is next due (null: none).
 */
public record StoredIncident(Incident incident, Instant ackExpiresAt, IncidentRules.GroupingState grouping,
                             boolean alerted, boolean muted, Instant remindAt) {
}
