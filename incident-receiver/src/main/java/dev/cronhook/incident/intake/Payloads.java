package dev.cronhook.incident.intake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Small readings of JSON values that the parsers share. */
final class Payloads {
    private Payloads() {
    }

    static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode() || node.isContainerNode()) {
            return null;
        }
        String text = node.isTextual() ? node.textValue().strip() : node.asText();
        return text.isEmpty() ? null : text;
    }

    /** JavaScript-style truthiness, as Cronicle writes flags (1, true, "1"). */
    static boolean truthy(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return false;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isNumber()) {
            return node.asDouble() != 0;
        }
        if (node.isTextual()) {
            return !node.textValue().isEmpty() && !node.textValue().equals("0") && !node.textValue().equals("false");
        }
        return true;
    }

    static String firstNonNull(String... values) {
        for (String value : values) {
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    /** An object of the fields of {@code node} that are present and not null, under the same names. */
    static ObjectNode pick(JsonNode node, String... fields) {
        ObjectNode picked = JsonNodeFactory.instance.objectNode();
        for (String field : fields) {
            JsonNode value = node.path(field);
            if (!value.isMissingNode() && !value.isNull()) {
                picked.set(field, value);
            }
        }
        return picked;
    }

    /** The first line of {@code text}, cut to {@code max} characters. */
    static String firstLine(String text, int max) {
        String line = text.strip().lines().findFirst().orElse("");
        return line.length() <= max ? line : line.substring(0, max - 1) + "…";
    }
}
