package dev.cronhook.incident;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cronhook.common.DomainException;
import dev.cronhook.common.Page;
import dev.cronhook.delivery.PrefixedIds;
import dev.cronhook.delivery.WebhookSecret;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/** {@code /v1/channels}: where incident alerts go. */
public final class ChannelService {
    private static final Set<String> SETTABLE = Set.of("type", "url", "events", "integration_ids", "min_severity",
            "enabled");
    private static final Set<String> READ_ONLY = Set.of("id", "signing_secret", "created_at", "updated_at");

    private final ChannelRepository channels;
    private final IntegrationRepository integrations;
    private final PrefixedIds ids;
    private final Clock clock;
    private final Consumer<String> forgetDeliveries;

    private final Function<String, Optional<String>> urlRefusal;

    ChannelService(ChannelRepository channels, IntegrationRepository integrations, PrefixedIds ids, Clock clock,
                   Consumer<String> forgetDeliveries, Function<String, Optional<String>> urlRefusal) {
        this.urlRefusal = urlRefusal;
        this.channels = channels;
        this.integrations = integrations;
        this.ids = ids;
        this.clock = clock;
        this.forgetDeliveries = forgetDeliveries;
    }

    public CreatedChannel create(JsonNode input) {
        ObjectNode body = InputErrors.requireObject(input);
        InputErrors errors = new InputErrors();
        errors.checkFieldNames(body, SETTABLE, READ_ONLY);
        ChannelType type = type(body, errors);
        URI url = url(body, errors);
        Set<AlertEvent> events = body.has("events") ? events(body, errors) : EnumSet.allOf(AlertEvent.class);
        List<String> integrationIds = body.has("integration_ids") ? integrationIds(body, errors) : List.of();
        Severity minSeverity = body.has("min_severity") ? minSeverity(body, errors) : null;
        boolean enabled = !body.has("enabled") || enabled(body, errors);
        errors.throwIfAny();
        Instant now = clock.instant();
        Channel channel = new Channel(ids.next("ch"), type, url, events, integrationIds, minSeverity, enabled, now, now);
        // Only a webhook channel has a secret to verify with; Slack's incoming webhooks go unsigned.
        WebhookSecret secret = type == ChannelType.WEBHOOK ? WebhookSecret.generate() : null;
        channels.insert(new StoredChannel(channel, secret));
        return new CreatedChannel(channel, type == ChannelType.WEBHOOK ? secret : null);
    }

    public Page<Channel> list(String cursor, int limit) {
        return Page.of(channels.list(cursor, limit + 1), limit, Channel::id);
    }

    public Channel get(String id) {
        return stored(id).channel();
    }

    public Channel update(String id, JsonNode input) {
        StoredChannel stored = stored(id);
        Channel old = stored.channel();
        ObjectNode body = InputErrors.requireObject(input);
        InputErrors errors = new InputErrors();
        errors.checkFieldNames(body, SETTABLE, READ_ONLY);
        if (body.has("type") && !old.type().wireName().equals(body.path("type").asText())) {
            errors.add("type", "cannot be changed; create another channel");
        }
        URI url = body.has("url") ? url(body, errors) : old.url();
        Set<AlertEvent> events = body.has("events") ? events(body, errors) : old.events();
        List<String> integrationIds = body.has("integration_ids") ? integrationIds(body, errors) : old.integrationIds();
        Severity minSeverity = body.has("min_severity") ? minSeverity(body, errors) : old.minSeverity();
        boolean enabled = body.has("enabled") ? enabled(body, errors) : old.enabled();
        errors.throwIfAny();
        Channel changed = new Channel(old.id(), old.type(), url, events, integrationIds, minSeverity, enabled,
                old.createdAt(), clock.instant());
        if (!channels.update(new StoredChannel(changed, stored.signingSecret()))) {
            throw new DomainException.NotFound("no channel " + id);
        }
        return changed;
    }

    public void delete(String id) {
        if (!channels.delete(id)) {
            throw new DomainException.NotFound("no channel " + id);
        }
        forgetDeliveries.accept(id);
    }

    private StoredChannel stored(String id) {
        return channels.find(id).orElseThrow(() -> new DomainException.NotFound("no channel " + id));
    }

    private static ChannelType type(ObjectNode body, InputErrors errors) {
        String text = errors.string(body, "type");
        ChannelType type = text == null ? null : ChannelType.fromWire(text);
        if (type == null) {
            errors.add("type", text == null ? "is required (webhook or slack)" : "must be webhook or slack");
        }
        return type;
    }

    private URI url(ObjectNode body, InputErrors errors) {
        String text = errors.string(body, "url");
        if (text == null || text.isBlank()) {
            errors.add("url", "is required");
            return null;
        }
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https"))) {
                errors.add("url", "must be an absolute http or https URL");
                return null;
            }
            if (uri.getRawUserInfo() != null) {
                errors.add("url", "must not contain user information");
                return null;
            }
            // Before the host check: a refused numeric form such as 2852039166 is no host name for URI.
            Optional<String> refusal = urlRefusal.apply(text);
            if (refusal.isPresent()) {
                errors.add("url", refusal.get());
                return null;
            }
            if (uri.getHost() == null) {
                errors.add("url", "must be an absolute http or https URL");
                return null;
            }
            if (uri.getPort() == 0 || uri.getPort() > 65535) {
                errors.add("url", "must have a port from 1 to 65535");
                return null;
            }
            if (text.length() > 2048) {
                errors.add("url", "must be at most 2048 characters");
                return null;
            }
            return uri;
        } catch (URISyntaxException e) {
            errors.add("url", "is not a valid URL");
            return null;
        }
    }

    private static Set<AlertEvent> events(ObjectNode body, InputErrors errors) {
        JsonNode node = body.get("events");
        if (node == null || node.isNull()) {
            return EnumSet.allOf(AlertEvent.class);
        }
        Set<AlertEvent> events = EnumSet.noneOf(AlertEvent.class);
        if (!node.isArray() || node.isEmpty()) {
            errors.add("events", "must be a non-empty list of incident.opened, incident.acknowledged, "
                    + "incident.reopened, incident.resolved, or [\"*\"]");
            return events;
        }
        for (JsonNode item : node) {
            if (item.isTextual() && item.textValue().equals("*")) {
                return EnumSet.allOf(AlertEvent.class);
            }
            AlertEvent event = item.isTextual() ? AlertEvent.fromWire(item.textValue()) : null;
            if (event == null) {
                errors.add("events", "has an unknown event " + item + "; known: incident.opened, "
                        + "incident.acknowledged, incident.reopened, incident.resolved");
                return events;
            }
            events.add(event);
        }
        return events;
    }

    private List<String> integrationIds(ObjectNode body, InputErrors errors) {
        JsonNode node = body.get("integration_ids");
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            errors.add("integration_ids", "must be a list of integration ids");
            return List.of();
        }
        Set<String> ids = new LinkedHashSet<>();
        for (JsonNode item : node) {
            if (!item.isTextual() || !PrefixedIds.looksLike("int", item.textValue())) {
                errors.add("integration_ids", "must be a list of integration ids (int_…)");
                return List.of();
            }
            ids.add(item.textValue());
        }
        List<String> missing = new ArrayList<>(ids);
        missing.removeAll(integrations.existing(List.copyOf(ids)));
        if (!missing.isEmpty()) {
            errors.add("integration_ids", "names no integration: " + String.join(", ", missing));
        }
        return List.copyOf(ids);
    }

    private static Severity minSeverity(ObjectNode body, InputErrors errors) {
        JsonNode node = body.get("min_severity");
        if (node == null || node.isNull()) {
            return null;
        }
        Severity severity = node.isTextual() ? Severity.fromWire(node.textValue()) : null;
        if (severity == null) {
            errors.add("min_severity", "must be sev1, sev2, sev3 or null");
        }
        return severity;
    }

    private static boolean enabled(ObjectNode body, InputErrors errors) {
        JsonNode node = body.get("enabled");
        if (node == null || !node.isBoolean()) {
            errors.add("enabled", "must be true or false");
            return true;
        }
        return node.booleanValue();
    }
}
