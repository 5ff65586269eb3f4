package dev.cronhook.incident.incidents;

import java.util.Locale;

/** How bad an incident is; {@code sev1} is the worst (Spike's scale). */
public enum Severity {
    SEV1, SEV2, SEV3;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The severity named {@code value}, or null when it names none. */
    public static Severity fromWire(String value) {
        for (Severity severity : values()) {
            if (severity.wireName().equals(value)) {
                return severity;
            }
        }
        return null;
    }

    /** True when this is as bad as {@code threshold} or worse. */
    public boolean atLeast(Severity threshold) {
        return ordinal() <= threshold.ordinal();
    }
}
