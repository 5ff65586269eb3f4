package dev.cronhook.api.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cronhook.common.DomainException;
import dev.cronhook.common.FieldError;
import dev.cronhook.common.Input;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Reads the fields of one request object into {@link Input}s, noting every field whose JSON type is wrong (and every
 * field the resource does not have), so that one reply names them all together with what the service finds.
 */
final class FieldReader {
    private final ObjectNode body;
    private final List<FieldError> errors = new ArrayList<>();

    private FieldReader(ObjectNode body) {
        this.body = body;
    }

    /**
     * {@code notAnObject}: the error when the body is not a JSON object. Unknown fields are mistakes; the resource's
     * own read-only fields are tolerated (a fetched copy sent back).
     */
    static FieldReader of(JsonNode input, FieldError notAnObject, Set<String> settable, Set<String> readOnly) {
        if (!(input instanceof ObjectNode object)) {
            throw new DomainException.Invalid(List.of(notAnObject));
        }
        FieldReader reader = new FieldReader(object);
        Iterator<String> names = object.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!settable.contains(name) && !readOnly.contains(name)) {
                reader.error(name, "unknown field");
            }
        }
        return reader;
    }

    List<FieldError> errors() {
        return errors;
    }

    void error(String field, String message) {
        errors.add(new FieldError(field, message));
    }

    /** The field as sent, for types a codec reads itself: absent is left out, JSON null is cleared. */
    Input<JsonNode> node(String field) {
        JsonNode node = body.get(field);
        return node == null ? Input.absent() : node.isNull() ? Input.cleared() : Input.of(node);
    }

    Input<String> text(String field) {
        return text(field, "must be a string");
    }

    Input<String> text(String field, String wrongType) {
        return read(field, JsonNode::isTextual, JsonNode::textValue, wrongType);
    }

    Input<Boolean> bool(String field, String wrongType) {
        return read(field, JsonNode::isBoolean, JsonNode::booleanValue, wrongType);
    }

    /** A whole number that fits a long; anything else is {@code wrongType}. */
    Input<Long> whole(String field, String wrongType) {
        return read(field, node -> node.isIntegralNumber() && node.canConvertToLong(), JsonNode::longValue, wrongType);
    }

    /** An array whose items are strings; an item that is not one is null, for the service to name. */
    Input<List<String>> strings(String field, String notAnArray) {
        return node(field).map(node -> {
            if (!node.isArray()) {
                error(field, notAnArray);
                return null;
            }
            List<String> items = new ArrayList<>(node.size());
            node.forEach(item -> items.add(item.isTextual() ? item.textValue() : null));
            return items;
        });
    }

    private <T> Input<T> read(String field, Predicate<JsonNode> right, Function<JsonNode, T> value, String wrongType) {
        return node(field).map(node -> {
            if (!right.test(node)) {
                error(field, wrongType);
                return null;
            }
            return value.apply(node);
        });
    }
}
