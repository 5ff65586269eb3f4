package dev.cronhook.delivery.outbox;

import dev.cronhook.delivery.attempts.StoredAttempt;
import java.time.Instant;
import java.util.List;

/**
 * One event's delivery to one endpoint, with every attempt so far.
 *
 * @param nextAttemptAt when the next attempt is due; null once the delivery succeeded or failed for good
 */
public record Delivery(
        String id,
        String endpointId,
        String eventId,
        String eventType,
        DeliveryStatus status,
        int attemptCount,
        Instant nextAttemptAt,
        Instant createdAt,
        Instant updatedAt,
        List<StoredAttempt> attempts) {

    public Delivery {
        attempts = List.copyOf(attempts);
    }
}
