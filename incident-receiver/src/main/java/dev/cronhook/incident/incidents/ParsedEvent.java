package dev.cronhook.incident.incidents;

/** What one event asks for, as its integration type's parser reads it. Keys are never blank; null means none. */
public sealed interface ParsedEvent {

    /** The dedup key the event names; null when it has none. */
    String key();

    /**
     * Something is wrong.
     *
     * @param key null for an event that carries none: it always opens a new incident
     * @param severity null for the integration's default
     * @param priority {@code p1}–{@code p5}, or null
     */
    record Trigger(String key, String title, EventBody body, Severity severity, String priority)
            implements ParsedEvent {
    }

    /** It is fine again: the open incident with this key is resolved. */
    record Resolve(String key, String note) implements ParsedEvent {
    }

    /** Someone is on it: the open incident with this key is acknowledged. */
    record Acknowledge(String key, String note) implements ParsedEvent {
    }

    /** Worth a line on the open incident with this key, if there is one; changes nothing else. */
    record Annotate(String key, String note) implements ParsedEvent {
    }

    /** Nothing to do. */
    record Ignore(String reason) implements ParsedEvent {
        @Override
        public String key() {
            return null;
        }
    }
}
