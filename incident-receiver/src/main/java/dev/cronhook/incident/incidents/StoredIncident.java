package dev.cronhook.incident.incidents;

import java.time.Instant;

/** An incident with the state the rules keep on it. */
public record StoredIncident(Incident incident, Instant ackExpiresAt, IncidentRules.GroupingState grouping) {
}
