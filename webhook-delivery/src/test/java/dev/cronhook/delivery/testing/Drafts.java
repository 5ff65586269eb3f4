package dev.cronhook.delivery.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cronhook.common.Input;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a request record (a job, webhook, channel or integration draft) from well-typed JSON, so that tests of a
 * service can speak in its resource's JSON while the service sees what the api's codec hands it. Fields are the
 * record's components in snake_case; a field left out is absent, a JSON null is cleared. Wrong types and unknown
 * fields are the codec's to report: here they fail the test that wrote them.
 */
public final class Drafts {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Drafts() {
    }

    /** {@code json} may use single quotes for readability (so its strings hold none). */
    public static <R extends Record> R of(Class<R> type, String json) {
        try {
            return of(type, JSON.readTree(json.replace('\'', '"')));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    public static <R extends Record> R of(Class<R> type, JsonNode tree) {
        RecordComponent[] components = type.getRecordComponents();
        Object[] values = new Object[components.length];
        Set<String> known = new HashSet<>();
        for (int i = 0; i < components.length; i++) {
            RecordComponent component = components[i];
            if (component.getName().equals("errors")) {
                values[i] = List.of();
                continue;
            }
            String field = snakeCase(component.getName());
            known.add(field);
            JsonNode node = tree.get(field);
            Type valueType = ((ParameterizedType) component.getGenericType()).getActualTypeArguments()[0];
            values[i] = node == null ? Input.absent() : node.isNull() ? Input.cleared() : Input.of(value(node, valueType));
        }
        tree.fieldNames().forEachRemaining(name -> {
            if (!known.contains(name)) {
                throw new IllegalArgumentException(type.getSimpleName() + " has no field " + name);
            }
        });
        try {
            return type.cast(type.getDeclaredConstructors()[0].newInstance(values));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object value(JsonNode node, Type type) {
        Class<?> raw = type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
        if (raw == String.class) {
            return node.textValue();
        }
        if (raw == Long.class) {
            return node.longValue();
        }
        if (raw == Boolean.class) {
            return node.booleanValue();
        }
        if (raw == Map.class) {
            Map<String, String> map = new LinkedHashMap<>();
            node.fields().forEachRemaining(entry -> map.put(entry.getKey(), entry.getValue().textValue()));
            return map;
        }
        if (raw == List.class) {
            List<String> list = new ArrayList<>();
            node.forEach(item -> list.add(item.textValue()));
            return list;
        }
        // A body to send: a string as is, any other JSON value as its JSON text (text, json).
        try {
            return raw.getDeclaredConstructor(String.class, boolean.class).newInstance(
                    node.isTextual() ? node.textValue() : JSON.writeValueAsString(node), !node.isTextual());
        } catch (ReflectiveOperationException | JsonProcessingException e) {
            throw new IllegalArgumentException("cannot make a " + raw.getSimpleName() + " of " + node, e);
        }
    }

    private static String snakeCase(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }
}
