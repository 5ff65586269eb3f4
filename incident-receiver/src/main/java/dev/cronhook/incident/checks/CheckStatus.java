package dev.cronhook.incident.checks;

import java.util.Locale;

/**
 * Where a check stands. {@code NEW} (never pinged) and {@code PAUSED} never go down; {@code GRACE} is never stored: it
 * is an {@code UP} check past its expected time, still inside its grace.
 */
public enum CheckStatus {
    NEW, UP, GRACE, DOWN, PAUSED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CheckStatus fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
