package dev.cronhook.incident.channels;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cronhook.incident.incidents.Incident;
import dev.cronhook.incident.incidents.IncidentDetail;
import dev.cronhook.incident.incidents.TimelineEntry;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * The JSON form of incidents, the same in API replies and in alert webhooks: snake_case, RFC 3339 UTC times, and
 * the body as the string or the JSON the event carried.
 */
public final class IncidentJson {
    private final ObjectMapper json;

    public IncidentJson(ObjectMapper json) {
        this.json = json;
    }

    public ObjectNode incident(Incident incident) {
        ObjectNode node = json.createObjectNode();
        node.put("id", incident.id());
        node.put("number", incident.number());
        node.put("integration_id", incident.integrationId());
        node.put("dedup_key", incident.dedupKey());
        node.put("title", incident.title());
        if (incident.body() == null) {
            node.putNull("body");
        } else if (incident.bodyIsJson()) {
            try {
                node.set("body", json.readTree(incident.body()));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException("stored JSON body of " + incident.id() + " does not parse", e);
            }
        } else {
            node.put("body", incident.body());
        }
        node.put("severity", incident.severity().wireName());
        node.put("priority", incident.priority());
        node.put("status", incident.status().wireName());
        node.put("occurrences", incident.occurrences());
        node.put("created_at", time(incident.createdAt()));
        node.put("last_occurrence_at", time(incident.lastOccurrenceAt()));
        node.put("acknowledged_at", time(incident.acknowledgedAt()));
        node.put("resolved_at", time(incident.resolvedAt()));
        node.put("resolved_by", incident.resolvedBy());
        return node;
    }

    public ObjectNode detail(IncidentDetail detail) {
        ObjectNode node = incident(detail.incident());
        ArrayNode timeline = node.putArray("timeline");
        for (TimelineEntry entry : detail.timeline()) {
            timeline.addObject()
                    .put("at", time(entry.at()))
                    .put("type", entry.type())
                    .put("message", entry.message());
        }
        return node;
    }

    /** The body of an alert webhook: {@code {"id", "type", "timestamp", "data": {"incident": {...}}}}. */
    byte[] alert(String eventId, AlertEvent event, Instant timestamp, Incident incident) {
        ObjectNode node = json.createObjectNode();
        node.put("id", eventId);
        node.put("type", event.wireName());
        node.put("timestamp", time(timestamp));
        node.putObject("data").set("incident", incident(incident));
        return bytes(node);
    }

    /** A Slack incoming-webhook message. */
    byte[] slack(AlertEvent event, Incident incident) {
        String what = switch (event) {
            case OPENED -> "opened";
            case ACKNOWLEDGED -> "acknowledged";
            case REOPENED -> "reopened (acknowledgement timed out)";
            case RESOLVED -> "resolved";
            case REMINDER -> "still triggered";
        };
        String text = "[" + incident.severity().wireName().toUpperCase(java.util.Locale.ROOT) + "] Incident #"
                + incident.number() + " " + what + ": " + incident.title()
                + (incident.occurrences() > 1 ? " (" + incident.occurrences() + " occurrences)" : "");
        ObjectNode node = json.createObjectNode();
        node.put("text", text);
        return bytes(node);
    }

    private byte[] bytes(ObjectNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String time(Instant instant) {
        return instant == null ? null : DateTimeFormatter.ISO_INSTANT.format(instant);
    }
}
