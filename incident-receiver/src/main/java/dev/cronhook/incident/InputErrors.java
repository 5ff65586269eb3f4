package dev.cronhook.incident;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cronhook.common.DomainException;
import dev.cronhook.common.FieldError;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** Collects every wrong field of a request, so one reply names them all. */
final class InputErrors {
    private final List<FieldError> errors = new ArrayList<>();

    void add(String field, String message) {
        errors.add(new FieldError(field, message));
    }

    void throwIfAny() {
        if (!errors.isEmpty()) {
            throw new DomainException.Invalid(errors);
        }
    }

    static ObjectNode requireObject(JsonNode input) {
        if (input instanceof ObjectNode object) {
            return object;
        }
        throw DomainException.Invalid.of("body", "must be a JSON object");
    }

    /** Unknown fields are mistakes; the resource's own read-only fields are tolerated (a fetched copy sent back). */
    void checkFieldNames(ObjectNode body, Set<String> settable, Set<String> readOnly) {
        Iterator<String> names = body.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!settable.contains(name) && !readOnly.contains(name)) {
                add(name, "unknown field");
            }
        }
    }

    /** The string at {@code field}; null when absent or JSON null; an error (and null) when not a string. */
    String string(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            add(field, "must be a string");
            return null;
        }
        return node.textValue();
    }
}
