package dev.cronhook.api.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cronhook.incident.AlertEvent;
import dev.cronhook.incident.Channel;
import dev.cronhook.incident.CreatedChannel;
import dev.cronhook.incident.CreatedIntegration;
import dev.cronhook.incident.Integration;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.net.URI;
import java.util.Comparator;

/** The JSON form of integrations and channels (PRODUCT.md section 8); incidents use the receiver's own form. */
final class IncidentViews {
    private IncidentViews() {
    }

    static ObjectNode integration(Integration integration) {
        ObjectNode node = Json.object();
        node.put("id", integration.id());
        node.put("name", integration.name());
        node.put("type", integration.type().wireName());
        node.put("has_signing_secret", integration.hasSigningSecret());
        node.put("ack_timeout_minutes", integration.ackTimeoutMinutes());
        node.put("default_severity", integration.defaultSeverity().wireName());
        node.put("built_in", integration.builtIn());
        node.put("created_at", Json.time(integration.createdAt()));
        node.put("updated_at", Json.time(integration.updatedAt()));
        return node;
    }

    /** The integration as shown once, right after it was made or its token rotated. */
    static ObjectNode integrationWithToken(CreatedIntegration created, String baseUrl) {
        ObjectNode node = integration(created.integration());
        node.put("token", created.token());
        node.put("intake_url", baseUrl + "/hooks/" + created.token());
        return node;
    }

    static ObjectNode channel(Channel channel) {
        ObjectNode node = Json.object();
        node.put("id", channel.id());
        node.put("type", channel.type().wireName());
        node.put("url", channel.url().toString());
        ArrayNode events = node.putArray("events");
        channel.events().stream().sorted(Comparator.comparing(Enum::ordinal)).map(AlertEvent::wireName)
                .forEach(events::add);
        ArrayNode integrations = node.putArray("integration_ids");
        channel.integrationIds().forEach(integrations::add);
        node.put("min_severity", channel.minSeverity() == null ? null : channel.minSeverity().wireName());
        node.put("enabled", channel.enabled());
        node.put("created_at", Json.time(channel.createdAt()));
        node.put("updated_at", Json.time(channel.updatedAt()));
        return node;
    }

    /** The channel as shown once, right after it was made: a webhook channel's signing secret is in it. */
    static ObjectNode channelWithSecret(CreatedChannel created) {
        ObjectNode node = channel(created.channel());
        if (created.signingSecret() != null) {
            node.put("signing_secret", created.signingSecret().value());
        }
        return node;
    }

    /**
     * Where intake URLs point: the configured public URL, else the scheme and host the client used to reach us
     * (a proxy's {@code X-Forwarded-Proto} / {@code X-Forwarded-Host} when present).
     */
    static String baseUrl(ServerRequest req, URI publicUrl) {
        if (publicUrl != null) {
            String text = publicUrl.toString();
            return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        }
        String proto = req.headers().first(HeaderNames.X_FORWARDED_PROTO).map(IncidentViews::firstValue)
                .orElse(req.isSecure() ? "https" : "http");
        String host = req.headers().first(HeaderNames.X_FORWARDED_HOST).map(IncidentViews::firstValue)
                .or(() -> req.headers().first(HeaderNames.HOST))
                .orElse(req.localPeer().host() + ":" + req.localPeer().port());
        return proto + "://" + host;
    }

    private static String firstValue(String header) {
        return header.split(",", 2)[0].trim();
    }
}
