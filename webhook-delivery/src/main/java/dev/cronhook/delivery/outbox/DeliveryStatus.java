package dev.cronhook.delivery.outbox;

import java.util.Locale;

/** Where a delivery stands: {@code pending} until it succeeded or failed for good. */
public enum DeliveryStatus {
    PENDING, SUCCEEDED, FAILED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DeliveryStatus fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
