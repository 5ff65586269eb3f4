package dev.cronhook.incident.channels;

import dev.cronhook.common.DomainException;
import dev.cronhook.common.FieldErrors;
import dev.cronhook.common.Page;
import dev.cronhook.common.PrefixedIds;
import dev.cronhook.delivery.signing.WebhookSecret;
import dev.cronhook.incident.incidents.Severity;
import dev.cronhook.incident.integrations.IntegrationRepository;
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
    /** What a list of alert events must look like. */
    public static final String EVENTS_WANTED = "must be a non-empty list of incident.opened, incident.acknowledged, "
            + "incident.reopened, incident.resolved, incident.reminder, or [\"*\"]";
    private final ChannelRepository channels;
    private final IntegrationRepository integrations;
    private final PrefixedIds ids;
    private final Clock clock;
    private final Consumer<String> forgetDeliveries;

    private final Function<String, Optional<String>> urlRefusal;

    public ChannelService(ChannelRepository channels, IntegrationRepository integrations, PrefixedIds ids, Clock clock,
                   Consumer<String> forgetDeliveries, Function<String, Optional<String>> urlRefusal) {
        this.urlRefusal = urlRefusal;
        this.channels = channels;
        this.integrations = integrations;
        this.ids = ids;
        this.clock = clock;
        this.forgetDeliveries = forgetDeliveries;
    }

    public CreatedChannel create(ChannelDraft draft) {
        FieldErrors errors = new FieldErrors();
        errors.addAll(draft.errors());
        ChannelType type = type(draft.type().value(), errors);
        URI url = url(draft.url().value(), errors);
        Set<AlertEvent> events = draft.events().sent() ? events(draft.events().value(), errors)
                : EnumSet.allOf(AlertEvent.class);
        List<String> integrationIds = draft.integrationIds().sent()
                ? integrationIds(draft.integrationIds().value(), errors) : List.of();
        Severity minSeverity = draft.minSeverity().sent() ? minSeverity(draft.minSeverity().value(), errors) : null;
        boolean enabled = !draft.enabled().sent() || enabled(draft.enabled().value(), errors);
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

    public Channel update(String id, ChannelDraft draft) {
        StoredChannel stored = stored(id);
        Channel old = stored.channel();
        FieldErrors errors = new FieldErrors();
        errors.addAll(draft.errors());
        if (draft.type().sent() && !old.type().wireName().equals(draft.type().value())) {
            errors.add("type", "cannot be changed; create another channel");
        }
        URI url = draft.url().sent() ? url(draft.url().value(), errors) : old.url();
        Set<AlertEvent> events = draft.events().sent() ? events(draft.events().value(), errors) : old.events();
        List<String> integrationIds = draft.integrationIds().sent()
                ? integrationIds(draft.integrationIds().value(), errors) : old.integrationIds();
        Severity minSeverity = draft.minSeverity().sent() ? minSeverity(draft.minSeverity().value(), errors)
                : old.minSeverity();
        boolean enabled = draft.enabled().sent() ? enabled(draft.enabled().value(), errors) : old.enabled();
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

    private static ChannelType type(String text, FieldErrors errors) {
        ChannelType type = text == null ? null : ChannelType.fromWire(text);
        if (type == null) {
            errors.add("type", text == null ? "is required (webhook or slack)" : "must be webhook or slack");
        }
        return type;
    }

    private URI url(String text, FieldErrors errors) {
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

    /** Sent as null: every event. */
    private static Set<AlertEvent> events(List<String> sent, FieldErrors errors) {
        if (sent == null) {
            return EnumSet.allOf(AlertEvent.class);
        }
        Set<AlertEvent> events = EnumSet.noneOf(AlertEvent.class);
        if (sent.isEmpty()) {
            errors.add("events", EVENTS_WANTED);
            return events;
        }
        for (String item : sent) {
            if ("*".equals(item)) {
                return EnumSet.allOf(AlertEvent.class);
            }
            AlertEvent event = item == null ? null : AlertEvent.fromWire(item);
            if (event == null) {
                errors.add("events", "has an unknown event " + (item == null ? "(not a string)" : "\"" + item + "\"")
                        + "; known: incident.opened, incident.acknowledged, incident.reopened, incident.resolved, "
                        + "incident.reminder");
                return events;
            }
            events.add(event);
        }
        return events;
    }

    private List<String> integrationIds(List<String> sent, FieldErrors errors) {
        if (sent == null) {
            return List.of();
        }
        Set<String> ids = new LinkedHashSet<>();
        for (String item : sent) {
            if (item == null || !PrefixedIds.looksLike("int", item)) {
                errors.add("integration_ids", "must be a list of integration ids (int_…)");
                return List.of();
            }
            ids.add(item);
        }
        List<String> missing = new ArrayList<>(ids);
        missing.removeAll(integrations.existing(List.copyOf(ids)));
        if (!missing.isEmpty()) {
            errors.add("integration_ids", "names no integration: " + String.join(", ", missing));
        }
        return List.copyOf(ids);
    }

    private static Severity minSeverity(String sent, FieldErrors errors) {
        if (sent == null) {
            return null; // sent as null: every severity (a wrong type is named already)
        }
        Severity severity = Severity.fromWire(sent);
        if (severity == null) {
            errors.add("min_severity", "must be sev1, sev2, sev3 or null");
        }
        return severity;
    }

    private static boolean enabled(Boolean enabled, FieldErrors errors) {
        if (enabled == null) {
            if (!errors.has("enabled")) {
                errors.add("enabled", "must be true or false");
            }
            return true;
        }
        return enabled;
    }
}
