package dev.cronhook.api.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cronhook.common.FieldError;
import dev.cronhook.incident.channels.AlertEvent;
import dev.cronhook.incident.channels.Channel;
import dev.cronhook.incident.channels.ChannelDraft;
import dev.cronhook.incident.channels.ChannelService;
import dev.cronhook.incident.channels.CreatedChannel;
import java.util.Comparator;
import java.util.Set;

/** The wire form of alert channels (PRODUCT.md section 8), both ways. */
public final class ChannelCodec {
    /** The fields a client sets; the API description lists exactly these (and READ_ONLY), a test checks. */
    public static final Set<String> SETTABLE = Set.of("type", "url", "events", "integration_ids", "min_severity",
            "enabled");
    public static final Set<String> READ_ONLY = Set.of("id", "signing_secret", "created_at", "updated_at");
    private static final FieldError NOT_AN_OBJECT = new FieldError("body", "must be a JSON object");

    private ChannelCodec() {
    }

    /** A create or change request; what it says is checked by the channel service. */
    public static ChannelDraft decode(JsonNode input) {
        FieldReader in = FieldReader.of(input, NOT_AN_OBJECT, SETTABLE, READ_ONLY);
        return new ChannelDraft(in.text("type"), in.text("url"), in.strings("events", ChannelService.EVENTS_WANTED),
                in.strings("integration_ids", "must be a list of integration ids"),
                in.text("min_severity", "must be sev1, sev2, sev3 or null"), in.bool("enabled", "must be true or false"),
                in.errors());
    }

    public static ObjectNode channel(Channel channel) {
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
    public static ObjectNode channelWithSecret(CreatedChannel created) {
        ObjectNode node = channel(created.channel());
        if (created.signingSecret() != null) {
            node.put("signing_secret", created.signingSecret().value());
        }
        return node;
    }
}
