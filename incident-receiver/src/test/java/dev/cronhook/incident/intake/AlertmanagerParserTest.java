package dev.cronhook.incident.intake;

import static dev.cronhook.incident.intake.ParserTesting.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cronhook.common.DomainException;
import dev.cronhook.incident.incidents.ParsedEvent;
import dev.cronhook.incident.incidents.Severity;
import dev.cronhook.incident.integrations.IntegrationType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Alertmanager's webhook body, version 4, as Alertmanager 0.25 sends it: one event per alert. */
class AlertmanagerParserTest {
    /** Two alerts of one group: one firing, one resolved. */
    static final String NOTIFICATION = """
            {"receiver": "cronhook", "status": "firing",
             "alerts": [
               {"status": "firing",
                "labels": {"alertname": "ProbeFailure", "instance": "https://shop.example.org", "severity": "critical"},
                "annotations": {"summary": "Probe failure: https://shop.example.org", "description": "down 5m"},
                "startsAt": "2026-12-06T13:08:45.828Z", "endsAt": "0001-01-01T00:00:00Z",
                "generatorURL": "http://prometheus.example.org:9090/graph?g0.expr=probe_success+%3D%3D+0",
                "fingerprint": "1a30ba71cca2921f"},
               {"status": "resolved",
                "labels": {"alertname": "DiskFull", "instance": "db01", "severity": "warning"},
                "annotations": {}, "startsAt": "2026-12-06T12:00:00Z", "endsAt": "2026-12-06T13:00:00Z",
                "generatorURL": "http://prometheus.example.org:9090/graph", "fingerprint": "9c2f5e0d4b3a1f77"}],
             "groupLabels": {"alertname": "ProbeFailure"}, "commonLabels": {}, "commonAnnotations": {},
             "externalURL": "http://alertmanager.example.org:9093", "version": "4",
             "groupKey": "{}:{alertname=\\"ProbeFailure\\"}", "truncatedAlerts": 0}
            """;

    private static List<ParsedEvent> events(String body) {
        return EventParser.of(IntegrationType.ALERTMANAGER).events(IncomingEvent.of(json(body), Map.of()));
    }

    private static void refusedNaming(String field, String body) {
        DomainException.Invalid e = assertThrows(DomainException.Invalid.class, () -> events(body));
        assertEquals(field, e.errors().getFirst().field(), e.getMessage());
    }

    private static String alert(String fields) {
        return "{\"version\": \"4\", \"alerts\": [" + fields + "]}";
    }

    @Test
    void eachAlertIsOneEventKeyedByItsFingerprintInTheOrderSent() {
        List<ParsedEvent> events = events(NOTIFICATION);
        assertEquals(2, events.size());
        ParsedEvent.Trigger firing = assertInstanceOf(ParsedEvent.Trigger.class, events.get(0));
        assertEquals("1a30ba71cca2921f", firing.key());
        assertEquals("Probe failure: https://shop.example.org", firing.title(), "the summary, when there is one");
        assertEquals(Severity.SEV1, firing.severity());
        var body = json(firing.body().text());
        assertEquals("https://shop.example.org", body.path("labels").path("instance").asText());
        assertEquals("down 5m", body.path("annotations").path("description").asText());
        assertEquals("2026-12-06T13:08:45.828Z", body.path("startsAt").asText());
        ParsedEvent.Resolve resolved = assertInstanceOf(ParsedEvent.Resolve.class, events.get(1));
        assertEquals("9c2f5e0d4b3a1f77", resolved.key());
    }

    @Test
    void theTitleFallsBackToTheAlertNameAndSeveritiesMapOrFallBackToTheDefault() {
        String base = "\"status\": \"firing\", \"fingerprint\": \"f1\", \"labels\": {\"alertname\": \"HighLatency\"";
        ParsedEvent.Trigger plain = assertInstanceOf(ParsedEvent.Trigger.class,
                events(alert("{" + base + "}}")).getFirst());
        assertEquals("HighLatency", plain.title());
        assertNull(plain.severity(), "no severity label: the integration's default");
        for (var mapping : Map.of("critical", Severity.SEV1, "error", Severity.SEV2, "warning", Severity.SEV2,
                "info", Severity.SEV3, "Critical", Severity.SEV1).entrySet()) {
            ParsedEvent.Trigger trigger = assertInstanceOf(ParsedEvent.Trigger.class, events(alert("{" + base
                    + ", \"severity\": \"" + mapping.getKey() + "\"}}")).getFirst());
            assertEquals(mapping.getValue(), trigger.severity(), mapping.getKey());
        }
        ParsedEvent.Trigger page = assertInstanceOf(ParsedEvent.Trigger.class,
                events(alert("{" + base + ", \"severity\": \"page\"}}")).getFirst());
        assertNull(page.severity(), "a severity of its own: the integration's default");
    }

    @Test
    void aNotificationWithNoAlertsDoesNothing() {
        assertEquals(List.of(), events("{\"version\": \"4\", \"alerts\": []}"));
    }

    @Test
    void whatCannotBeReadIsNamed() {
        refusedNaming("alerts", "{\"version\": \"4\", \"status\": \"firing\"}");
        refusedNaming("alerts", "{\"alerts\": {\"status\": \"firing\"}}");
        refusedNaming("alerts[1].fingerprint", alert("{\"status\": \"resolved\", \"fingerprint\": \"a\"}, "
                + "{\"status\": \"firing\", \"labels\": {\"alertname\": \"X\"}}"));
        refusedNaming("alerts[0].status", alert("{\"status\": \"pending\", \"fingerprint\": \"a\", "
                + "\"labels\": {\"alertname\": \"X\"}}"));
        refusedNaming("alerts[0].labels.alertname", alert("{\"status\": \"firing\", \"fingerprint\": \"a\", "
                + "\"labels\": {}}"));
    }
}
