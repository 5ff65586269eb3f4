package dev.cronhook.incident.incidents;

/** The outcome of one event; {@code incidentId} is null when no incident was concerned. */
public record IntakeResult(IntakeAction action, String incidentId) {
}
