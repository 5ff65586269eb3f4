package dev.cronhook.scheduler.notify;

import dev.cronhook.delivery.outbox.Endpoint;
import dev.cronhook.delivery.outbox.EndpointDirectory;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/** Tells the delivery worker where a webhook's deliveries go, as the subscription stands at send time. */
public final class WebhookDirectory implements EndpointDirectory {
    private static final System.Logger LOG = System.getLogger(WebhookDirectory.class.getName());

    private final WebhookRepository webhooks;
    private final Clock clock;
    /** Where this node sends the built-in subscription's deliveries: its own intake, with the token. */
    private volatile URI builtInTarget;

    public WebhookDirectory(WebhookRepository webhooks, Clock clock) {
        this.webhooks = webhooks;
        this.clock = clock;
    }

    void sendBuiltInTo(URI ownIntake) {
        builtInTarget = ownIntake;
    }

    @Override
    public Optional<Endpoint> find(String endpointId, Instant at) {
        return webhooks.find(endpointId)
                .filter(Webhook::enabled)
                .map(webhook -> {
                    boolean builtIn = webhook.id().equals(WebhookService.BUILT_IN_ID) && builtInTarget != null;
                    URI url = builtIn ? builtInTarget : webhook.url();
                    return new Endpoint(webhook.id(), url, webhook.authorization(), webhook.secrets().active(at),
                            builtIn && isLoopback(url));
                });
    }

    /** The built-in loop to this node's own intake may use loopback whatever the network policy says. */
    private static boolean isLoopback(URI url) {
        String host = url.getHost();
        return "127.0.0.1".equals(host) || "[::1]".equals(host) || "localhost".equals(host);
    }

    @Override
    public void gone(String endpointId, String reason) {
        webhooks.disable(endpointId, reason, clock.instant());
        LOG.log(Level.WARNING, "webhook {0} disabled: {1}", endpointId, reason);
    }
}
