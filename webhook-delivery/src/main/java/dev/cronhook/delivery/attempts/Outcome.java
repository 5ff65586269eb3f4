package dev.cronhook.delivery.attempts;

import java.util.Locale;

/** How one attempt ended. */
public enum Outcome {
    SUCCESS,
    /** A complete response with a non-2xx status. */
    HTTP_ERROR,
    /** No complete response within the attempt's timeout. */
    TIMEOUT,
    /** The exchange failed below HTTP: refused, reset, DNS, TLS, a malformed or empty reply. */
    CONNECTION_ERROR,
    /** Never sent, because a network policy forbade the destination. */
    BLOCKED;

    /** The lowercase name stored in the database and shown in the API. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Outcome fromWireName(String wireName) {
        return valueOf(wireName.toUpperCase(Locale.ROOT));
    }
}
