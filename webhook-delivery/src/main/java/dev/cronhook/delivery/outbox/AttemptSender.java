package dev.cronhook.delivery.outbox;

import dev.cronhook.delivery.attempts.AttemptResult;
import dev.cronhook.delivery.http.HttpSender;
import dev.cronhook.delivery.http.OutgoingRequest;
import dev.cronhook.delivery.http.PendingSend;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

/** Makes one attempt at an event for an endpoint as looked up at send time, and says what happened in the log. */
final class AttemptSender {
    private static final System.Logger LOG = System.getLogger(AttemptSender.class.getName());

    private final HttpSender sender;
    private final Duration timeout;

    AttemptSender(HttpSender sender, Duration timeout) {
        this.sender = sender;
        this.timeout = timeout;
    }

    /**
     * An endpoint that is gone, or that cannot be sent to as configured, yields a {@code blocked} attempt that was
     * never sent. The attempt waits its turn in its destination's queue, shared with jobs that call the same host.
     *
     * @throws java.util.concurrent.CancellationException when the thread was interrupted (a stop); nothing happened
     */
    AttemptResult send(EndpointDirectories.Lookup lookup, String eventId, String eventType, byte[] body,
                       Instant attemptTime) {
        return switch (lookup) {
            case EndpointDirectories.Missing missing -> AttemptResult.blocked(missing.reason(), attemptTime);
            case EndpointDirectories.Found found -> {
                Endpoint endpoint = found.endpoint();
                try {
                    WebhookRequests.build(endpoint, eventId, eventType, body, attemptTime, timeout);
                } catch (IllegalArgumentException e) {
                    yield AttemptResult.blocked("not sent: " + e.getMessage(), attemptTime);
                }
                // Built again, and signed, when its turn in the destination's queue comes.
                Function<Instant, OutgoingRequest> request =
                        sentAt -> WebhookRequests.build(endpoint, eventId, eventType, body, sentAt, timeout);
                PendingSend send = endpoint.self()
                        ? sender.submitToSelf(endpoint.url(), request)
                        : sender.submit(endpoint.url(), request);
                yield send.await();
            }
        };
    }

    /** Tells the endpoint's owner it answered 410 Gone; the owner disables it. */
    static void reportGone(EndpointDirectories.Lookup lookup, String deliveryId) {
        if (lookup instanceof EndpointDirectories.Found found) {
            String endpointId = found.endpoint().id();
            try {
                found.directory().gone(endpointId, "answered 410 Gone to delivery " + deliveryId);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "endpoint {0} answered 410 but could not be disabled: {1}", endpointId,
                        e.getMessage());
            }
        }
    }

    /** One line per attempt; the request's headers (Authorization, signatures) never appear. */
    static void log(String endpointId, String deliveryId, int attempt, AttemptResult result, String then) {
        if (LOG.isLoggable(Level.INFO)) {
            // Concatenated, not a {0} pattern: this line is written for every attempt.
            LOG.log(Level.INFO, "delivery attempt endpoint=" + endpointId + " delivery=" + deliveryId + " attempt="
                    + attempt + " outcome=" + result.outcome().wireName() + " status="
                    + (result.statusCode() == null ? "-" : result.statusCode()) + " duration_ms="
                    + result.durationMillis() + " queued_ms=" + result.queuedMillis() + " then=" + then);
        }
    }
}
