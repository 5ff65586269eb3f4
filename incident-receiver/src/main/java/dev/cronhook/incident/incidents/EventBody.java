package dev.cronhook.incident.incidents;

import com.fasterxml.jackson.databind.JsonNode;

/** An incident's body: JSON text when {@code json}, else plain text. */
public record EventBody(String text, boolean json) {

    /** A string node becomes text, an object or array its JSON; null, missing or empty yields null. */
    public static EventBody of(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isTextual()) {
            return node.textValue().isEmpty() ? null : new EventBody(node.textValue(), false);
        }
        if (node.isContainerNode() && node.isEmpty()) {
            return null;
        }
        return new EventBody(node.toString(), true);
    }

    static EventBody text(String text) {
        return text == null || text.isBlank() ? null : new EventBody(text, false);
    }
}
