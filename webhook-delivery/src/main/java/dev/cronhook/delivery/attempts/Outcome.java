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
    BLOCKED,
    /** A job that completes by callback: its request got a 2xx, and the callback has not come yet. */
    AWAITING_CALLBACK,
    /** A job that completes by callback: the callback said {@code failed}. */
    CALLBACK_FAILED,
    /** A job that completes by callback: its request got a 2xx, and no callback came in time. */
    CALLBACK_TIMEOUT;

    /** The lowercase name stored in the database and shown in the API. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Outcome fromWireName(String wireName) {
        return valueOf(wireName.toUpperCase(Locale.ROOT));
    }
}
