package dev.cronhook.incident.incidents;

import java.util.Locale;

/** What an event did, as the intake reply's {@code action} says. */
public enum IntakeAction {
    OPENED, GROUPED, RESOLVED, ACKNOWLEDGED, IGNORED, RATE_LIMITED;

    /** Whether the event opened, resolved or acknowledged an incident, rather than only counting into one. */
    public boolean changesState() {
        return this == OPENED || this == RESOLVED || this == ACKNOWLEDGED;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
