package dev.cronhook.incident.incidents;

import java.util.Locale;

/** What an event did, as the intake reply's {@code action} says. */
public enum IntakeAction {
    OPENED, GROUPED, RESOLVED, ACKNOWLEDGED, IGNORED, RATE_LIMITED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
