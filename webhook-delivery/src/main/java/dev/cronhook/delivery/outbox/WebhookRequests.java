package dev.cronhook.delivery.outbox;

import dev.cronhook.delivery.http.OutgoingRequest;
import dev.cronhook.delivery.signing.RequestSigner;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The request one delivery attempt sends: a signed JSON POST. */
final class WebhookRequests {
    static final String EVENT_HEADER = "X-Cronhook-Event";

    private WebhookRequests() {
    }

    /**
     * @param attemptTime signed as {@code webhook-timestamp}; the event id is the {@code webhook-id} on every attempt
     * @throws IllegalArgumentException when the endpoint cannot be sent to as configured (no secret, bad header value)
     */
    static OutgoingRequest build(Endpoint endpoint, String eventId, String eventType, byte[] body,
                                 Instant attemptTime, Duration timeout) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put(EVENT_HEADER, eventType);
        if (endpoint.authorization() != null) {
            headers.put("Authorization", endpoint.authorization());
        }
        if (!endpoint.secrets().isEmpty()) {
            // A Slack incoming webhook, say, has no secret to verify with.
            headers.putAll(RequestSigner.signatureHeaders(eventId, attemptTime, body, endpoint.secrets()));
        }
        return new OutgoingRequest(endpoint.url(), "POST", headers, body, timeout);
    }
}
