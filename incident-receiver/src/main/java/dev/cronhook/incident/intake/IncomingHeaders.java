package dev.cronhook.incident.intake;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The headers of an intake request, first value of each, looked up by name in any case. */
public final class IncomingHeaders {
    private final Map<String, String> values;

    private IncomingHeaders(Map<String, String> values) {
        this.values = values;
    }

    public static IncomingHeaders of(Map<String, String> headers) {
        Map<String, String> values = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, value) -> values.putIfAbsent(name.toLowerCase(Locale.ROOT), value));
        return new IncomingHeaders(values);
    }

    public String get(String name) {
        return values.get(name);
    }

    Map<String, String> asMap() {
        return Map.copyOf(values);
    }
}
