package dev.cronhook.delivery.outbox;

import java.time.Instant;
import java.util.Optional;

/**
 * Looks up the subscribers a module owns (notification webhooks, alert channels). The delivery worker asks at send
 * time, so a changed URL or a rotated secret applies to deliveries already queued.
 */
public interface EndpointDirectory {

    /** The endpoint if it exists and is enabled; empty drops its pending deliveries as failed. */
    Optional<Endpoint> find(String endpointId, Instant at);

    /** The endpoint answered 410 Gone: the owner disables it. */
    void gone(String endpointId, String reason);
}
