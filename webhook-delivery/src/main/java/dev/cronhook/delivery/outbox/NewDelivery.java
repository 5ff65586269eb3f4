package dev.cronhook.delivery.outbox;

import java.util.Objects;

/**
 * One event for one endpoint, to be delivered at least once.
 *
 * @param eventId sent as {@code webhook-id}; the same on every attempt and redelivery
 * @param eventType sent as {@code X-Cronhook-Event}
 * @param body the JSON bytes, signed as they are
 */
public record NewDelivery(String endpointId, String eventId, String eventType, byte[] body) {
    public NewDelivery {
        Objects.requireNonNull(endpointId, "endpointId");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(eventType, "eventType");
        body = body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }
}
