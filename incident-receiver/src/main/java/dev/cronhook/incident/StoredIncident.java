package dev.cronhook.incident;

import java.time.Instant;

/** An incident with the state the rules keep on it. */
record StoredIncident(Incident incident, Instant ackExpiresAt, IncidentRules.GroupingState grouping) {

    IncidentRules.OpenIncident asOpen() {
        return new IncidentRules.OpenIncident(incident.id(), incident.status(), grouping);
    }
}
