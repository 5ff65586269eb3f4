package dev.cronhook.incident.incidents;

import java.util.Locale;

/** Where an incident stands; triggered and acknowledged incidents are open. */
public enum IncidentStatus {
    TRIGGERED, ACKNOWLEDGED, RESOLVED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean open() {
        return this != RESOLVED;
    }

    public static IncidentStatus fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
