package dev.cronhook.incident;

import java.time.Instant;

/** An incident with the state the rules keep on it. */
record StoredIncident(Incident incident, Instant ackExpiresAt, IncidentRules.GroupingState grouping) {
}
