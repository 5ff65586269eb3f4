package dev.cronhook.incident.integrations;

import java.util.Locale;

/** The tools an integration reads events from, each with its own payload shape. */
public enum IntegrationType {
    GENERIC, CRONHOOK, CRONICLE, HEALTHCHECKS, CRONTOGO, PAGERDUTY, ALERTMANAGER;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The type named {@code value}, or null when it names none. */
    public static IntegrationType fromWire(String value) {
        for (IntegrationType type : values()) {
            if (type.wireName().equals(value)) {
                return type;
            }
        }
        return null;
    }

    /** Only these tools sign what they send; a secret on the others would never be checked. */
    public boolean verifiesSignatures() {
        return this == CRONHOOK || this == CRONTOGO;
    }
}
