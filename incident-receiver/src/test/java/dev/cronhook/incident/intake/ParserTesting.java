package dev.cronhook.incident.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cronhook.common.DomainException;
import dev.cronhook.incident.incidents.ParsedEvent;
import dev.cronhook.incident.integrations.IntegrationType;
import java.util.List;
import java.util.Map;

/** Runs a parser on JSON text and checks what it read. */
final class ParserTesting {
    static final ObjectMapper JSON = new ObjectMapper();

    private ParserTesting() {
    }

    static ParsedEvent parse(IntegrationType type, String body) {
        return parse(type, body, Map.of());
    }

    static ParsedEvent parse(IntegrationType type, String body, Map<String, String> headers) {
        List<ParsedEvent> events = EventParser.of(type).events(IncomingEvent.of(json(body), headers));
        assertEquals(1, events.size(), "one event: " + events);
        return events.getFirst();
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    static ParsedEvent.Trigger trigger(ParsedEvent event) {
        return assertInstanceOf(ParsedEvent.Trigger.class, event);
    }

    static ParsedEvent.Resolve resolve(ParsedEvent event) {
        return assertInstanceOf(ParsedEvent.Resolve.class, event);
    }

    static ParsedEvent.Ignore ignore(ParsedEvent event) {
        return assertInstanceOf(ParsedEvent.Ignore.class, event);
    }

    /** Asserts that the event is refused with 422 naming exactly {@code field}. */
    static void refusedNaming(String field, IntegrationType type, String body) {
        refusedNaming(field, type, body, Map.of());
    }

    static void refusedNaming(String field, IntegrationType type, String body, Map<String, String> headers) {
        DomainException.Invalid e = assertThrows(DomainException.Invalid.class, () -> parse(type, body, headers));
        assertEquals(field, e.errors().getFirst().field(), e.getMessage());
    }

    static JsonNode bodyJson(ParsedEvent.Trigger trigger) {
        assertEquals(true, trigger.body().json(), "body is JSON");
        return json(trigger.body().text());
    }
}
