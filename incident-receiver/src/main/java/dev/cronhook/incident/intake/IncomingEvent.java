package dev.cronhook.incident.intake;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cronhook.common.DomainException;
import java.util.Map;
import java.util.Objects;

/** One event as posted: its JSON body and the request headers (names compared case-insensitively). */
public record IncomingEvent(JsonNode body, IncomingHeaders headers) {

    public IncomingEvent {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(headers, "headers");
    }

    static IncomingEvent of(JsonNode body, Map<String, String> headers) {
        return new IncomingEvent(body, IncomingHeaders.of(headers));
    }

    String header(String name) {
        return headers.get(name);
    }

    /** The node at a dotted path ({@code data.job.id}); missing when any step is missing. */
    JsonNode at(String path) {
        JsonNode node = body;
        for (String step : path.split("\\.")) {
            node = node.path(step);
        }
        return node;
    }

    /** The text at {@code path}: strings as they are, numbers as written; null when absent, null or blank. */
    String text(String path) {
        return Payloads.text(at(path));
    }

    /** The text at {@code path}, or 422 naming the path. */
    String required(String path) {
        String value = text(path);
        if (value == null) {
            throw DomainException.Invalid.of(path, "is required");
        }
        return value;
    }
}
