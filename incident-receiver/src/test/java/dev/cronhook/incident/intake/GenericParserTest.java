package dev.cronhook.incident.intake;

import static dev.cronhook.incident.intake.ParserTesting.bodyJson;
import static dev.cronhook.incident.intake.ParserTesting.ignore;
import static dev.cronhook.incident.intake.ParserTesting.parse;
import static dev.cronhook.incident.intake.ParserTesting.refusedNaming;
import static dev.cronhook.incident.intake.ParserTesting.resolve;
import static dev.cronhook.incident.intake.ParserTesting.trigger;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.cronhook.incident.incidents.ParsedEvent;
import dev.cronhook.incident.incidents.Severity;
import dev.cronhook.incident.integrations.IntegrationType;
import org.junit.jupiter.api.Test;

/** Spike-style push events. */
class GenericParserTest {
    private static final IntegrationType TYPE = IntegrationType.GENERIC;

    @Test
    void anEventTriggersKeyedByItsTitleWithSeverityAndPriority() {
        ParsedEvent.Trigger trigger = trigger(parse(TYPE, """
                {"title": "Payment queue is backing up", "body": "42,000 messages waiting",
                 "severity": "sev1", "priority": "p2", "source": "rabbitmq-exporter"}
                """));

        assertEquals("Payment queue is backing up", trigger.key());
        assertEquals("Payment queue is backing up", trigger.title());
        assertEquals("42,000 messages waiting", trigger.body().text());
        assertFalse(trigger.body().json());
        assertEquals(Severity.SEV1, trigger.severity());
        assertEquals("p2", trigger.priority());
    }

    @Test
    void anObjectBodyIsKeptAsJson() {
        ParsedEvent.Trigger trigger = trigger(parse(TYPE, """
                {"title": "Disk almost full", "body": {"host": "db-1", "used_percent": 97}}
                """));

        assertEquals(97, bodyJson(trigger).path("used_percent").asInt());
        assertNull(trigger.severity());
    }

    @Test
    void statusResolveResolvesTheIncidentWithTheSameTitle() {
        ParsedEvent.Resolve resolve = resolve(parse(TYPE, """
                {"title": "Payment queue is backing up", "status": "resolve"}
                """));

        assertEquals("Payment queue is backing up", resolve.key());
    }

    @Test
    void withoutATitleAnEventIsNeverGroupedNorResolved() {
        ParsedEvent.Trigger trigger = trigger(parse(TYPE, "{\"body\": \"something broke\\nstack trace…\"}"));

        assertNull(trigger.key());
        assertEquals("something broke", trigger.title());
        ignore(parse(TYPE, "{\"status\": \"resolve\", \"body\": \"fixed\"}"));
    }

    @Test
    void badValuesAreNamed() {
        refusedNaming("severity", TYPE, "{\"title\": \"t\", \"severity\": \"critical\"}");
        refusedNaming("priority", TYPE, "{\"title\": \"t\", \"priority\": \"p9\"}");
        refusedNaming("title", TYPE, "{}");
    }
}
