package dev.cronhook.incident.checks;

import java.util.Locale;

/** What a ping says: {@code /ping/{uuid}} (or exit code 0), {@code /start}, {@code /fail} (or a non-zero exit code). */
public enum PingKind {
    SUCCESS, START, FAIL;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static PingKind fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
