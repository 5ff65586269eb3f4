package dev.cronhook.delivery.outbox;

import dev.cronhook.delivery.WebhookSecret;
import java.net.URI;
import java.util.List;

/**
 * Where deliveries for one subscriber go, as it stands at send time.
 *
 * @param authorization sent verbatim as the {@code Authorization} header; null for none
 * @param secrets the secrets that sign right now, newest first (two during a rotation)
 */
public record Endpoint(String id, URI url, String authorization, List<WebhookSecret> secrets) {
    public Endpoint {
        secrets = List.copyOf(secrets);
    }
}
