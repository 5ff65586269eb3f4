package dev.cronhook.scheduler;

import dev.cronhook.delivery.outbox.Endpoint;
import dev.cronhook.delivery.outbox.EndpointDirectory;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/** Tells the delivery worker where a webhook's deliveries go, as the subscription stands at send time. */
final class WebhookDirectory implements EndpointDirectory {
    private static final System.Logger LOG = System.getLogger(WebhookDirectory.class.getName());

    private final WebhookRepository webhooks;
    private final Clock clock;

    WebhookDirectory(WebhookRepository webhooks, Clock clock) {
        this.webhooks = webhooks;
        this.clock = clock;
    }

    @Override
    public Optional<Endpoint> find(String endpointId, Instant at) {
        return webhooks.find(endpointId)
                .filter(Webhook::enabled)
                .map(webhook -> new Endpoint(webhook.id(), webhook.url(), webhook.authorization(),
                        webhook.secrets().active(at), isLoopbackBuiltIn(webhook)));
    }

    /** The built-in loop to this node's own intake; its URL cannot be changed through the API. */
    private static boolean isLoopbackBuiltIn(Webhook webhook) {
        String host = webhook.url().getHost();
        return webhook.id().equals(WebhookService.BUILT_IN_ID)
                && ("127.0.0.1".equals(host) || "[::1]".equals(host) || "localhost".equals(host));
    }

    @Override
    public void gone(String endpointId, String reason) {
        webhooks.disable(endpointId, reason, clock.instant());
        LOG.log(Level.WARNING, "webhook {0} disabled: {1}", endpointId, reason);
    }
}
