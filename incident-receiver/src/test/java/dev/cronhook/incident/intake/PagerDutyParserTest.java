package dev.cronhook.incident.intake;

import static dev.cronhook.incident.intake.ParserTesting.bodyJson;
import static dev.cronhook.incident.intake.ParserTesting.parse;
import static dev.cronhook.incident.intake.ParserTesting.refusedNaming;
import static dev.cronhook.incident.intake.ParserTesting.resolve;
import static dev.cronhook.incident.intake.ParserTesting.trigger;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.cronhook.incident.incidents.ParsedEvent;
import dev.cronhook.incident.incidents.Severity;
import dev.cronhook.incident.integrations.IntegrationType;
import org.junit.jupiter.api.Test;

/** PagerDuty Events API v2, as its documentation shows the events. */
class PagerDutyParserTest {
    private static final IntegrationType TYPE = IntegrationType.PAGERDUTY;

    @Test
    void aTriggerReadsTheSummarySeverityAndDedupKey() {
        ParsedEvent.Trigger trigger = trigger(parse(TYPE, """
                {"payload": {"summary": "DISK at 99% on machine prod-datapipe03.example.com",
                             "timestamp": "2015-07-17T08:42:58.315+0000", "severity": "critical",
                             "source": "prod-datapipe03.example.com", "component": "mysql", "group": "prod-datapipe",
                             "class": "deploy", "custom_details": {"free space": "1%", "ping time": "1500ms"}},
                 "routing_key": "e93facc04764012d7bfb002500d5d1a6", "dedup_key": "srv01/mysql",
                 "event_action": "trigger", "client": "Sample Monitoring Service",
                 "client_url": "https://monitoring.service.com",
                 "links": [{"href": "http://acme.pagerduty.com/example", "text": "An example link."}]}
                """));

        assertEquals("srv01/mysql", trigger.key());
        assertEquals("DISK at 99% on machine prod-datapipe03.example.com", trigger.title());
        assertEquals(Severity.SEV1, trigger.severity());
        assertEquals("1%", bodyJson(trigger).path("custom_details").path("free space").asText());
        assertFalse(trigger.body().text().contains("e93facc04764012d7bfb002500d5d1a6"), "the routing key is not kept");
    }

    @Test
    void severitiesMapToSpikesScale() {
        assertEquals(Severity.SEV2, trigger(parse(TYPE, event("error"))).severity());
        assertEquals(Severity.SEV3, trigger(parse(TYPE, event("warning"))).severity());
        assertEquals(Severity.SEV3, trigger(parse(TYPE, event("info"))).severity());
        refusedNaming("payload.severity", TYPE, event("disaster"));
    }

    private static String event(String severity) {
        return """
                {"event_action": "trigger", "dedup_key": "k",
                 "payload": {"summary": "s", "source": "h", "severity": "%s"}}
                """.formatted(severity);
    }

    @Test
    void aTriggerWithoutDedupKeyHasNoKey() {
        assertNull(trigger(parse(TYPE, """
                {"event_action": "trigger", "payload": {"summary": "s", "source": "h", "severity": "info"}}
                """)).key());
    }

    @Test
    void acknowledgeAndResolveNeedOnlyTheDedupKey() {
        ParsedEvent.Acknowledge ack = assertInstanceOf(ParsedEvent.Acknowledge.class, parse(TYPE, """
                {"routing_key": "e93facc04764012d7bfb002500d5d1a6", "dedup_key": "srv01/mysql",
                 "event_action": "acknowledge"}
                """));
        assertEquals("srv01/mysql", ack.key());
        assertEquals("srv01/mysql", resolve(parse(TYPE, """
                {"routing_key": "e93facc04764012d7bfb002500d5d1a6", "dedup_key": "srv01/mysql",
                 "event_action": "resolve"}
                """)).key());
    }

    @Test
    void missingFieldsAreNamed() {
        refusedNaming("event_action", TYPE, "{\"dedup_key\": \"k\"}");
        refusedNaming("event_action", TYPE, "{\"event_action\": \"snooze\", \"dedup_key\": \"k\"}");
        refusedNaming("payload.summary", TYPE, "{\"event_action\": \"trigger\", \"payload\": {\"source\": \"h\"}}");
        refusedNaming("dedup_key", TYPE, "{\"event_action\": \"resolve\"}");
        refusedNaming("dedup_key", TYPE, "{\"event_action\": \"acknowledge\"}");
    }
}
