package dev.cronhook.delivery.outbox;

import dev.cronhook.delivery.signing.WebhookSecret;
import java.net.URI;
import java.util.List;

/**
 * Where deliveries for one subscriber go, as it stands at send time.
 *
 * @param authorization sent verbatim as the {@code Authorization} header; null for none
 * @param secrets the secrets that sign right now, newest first (two during a rotation); empty sends no signature
 * @param self Cronhook's own intake on this machine (loopback): sent whatever the network policy, which governs
 *     where users' subscribers are, not Cronhook's loop to itself
 */
public record Endpoint(String id, URI url, String authorization, List<WebhookSecret> secrets, boolean self) {
    public Endpoint {
        secrets = List.copyOf(secrets);
    }

    /** A subscriber somewhere else, under the network policy. */
    public Endpoint(String id, URI url, String authorization, List<WebhookSecret> secrets) {
        this(id, url, authorization, secrets, false);
    }
}
