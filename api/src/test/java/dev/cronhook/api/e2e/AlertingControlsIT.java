package dev.cronhook.api.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Alerting controls of PRODUCT.md section 12 on the packaged server (H2) with a WireMock alert channel: silences mute
 * openings and never swallow the resolve of an alerted incident; a silence's end alerts what it muted; alert_after
 * holds an incident's alert until its occurrences reach it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AlertingControlsIT extends AgainstPackagedServer {
    @Override
    String serverName() {
        return "alerting";
    }

    @Override
    Map<String, String> settings() {
        // The sweep that sends what a silence's end lets through: every second here, to keep the test short.
        return Map.of("CRONHOOK_ACK_SWEEP_INTERVAL", "1s");
    }

    /** An integration with its own webhook channel at {@code path}; returns its intake path. */
    private String integrationWithChannel(String name, String path, String extra) {
        JsonNode integration = api.post("/v1/integrations", "{\"name\": \"" + name + "\", \"type\": \"generic\""
                + extra + "}").expect(201);
        api.post("/v1/channels", "{\"type\": \"webhook\", \"url\": \"" + target.url(path)
                + "\", \"integration_ids\": [\"" + integration.path("id").asText() + "\"]}").expect(201);
        return "/hooks/" + integration.path("token").asText() + "|" + integration.path("id").asText();
    }

    private JsonNode hook(String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(api.uri(path)).timeout(Duration.ofSeconds(15))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        return Api.send(request, "POST", path).expect(202);
    }

    private static List<String> events(List<LoggedRequest> alerts) {
        return alerts.stream().map(a -> a.getHeader("X-Cronhook-Event")).toList();
    }

    private static String incidentOf(LoggedRequest alert) {
        try {
            return Api.JSON.readTree(alert.getBodyAsString()).path("data").path("incident").path("id").asText();
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aSilenceMutesAnOpeningAndItsEndAlertsTheIncidentStillTriggered() {
        String[] created = integrationWithChannel("maintained", "/alerting/muted", "").split("\\|");
        Instant ends = Instant.now().plusSeconds(3);
        JsonNode silence = api.post("/v1/silences", "{\"integration_id\": \"" + created[1] + "\", \"ends_at\": \""
                + ends + "\", \"comment\": \"database maintenance\"}").expect(201);
        assertTrue(silence.path("active").asBoolean(), silence.toString());
        assertTrue(silence.path("id").asText().startsWith("sil_"), silence.toString());
        assertEquals(silence, api.get("/v1/silences/" + silence.path("id").asText()).expect(200));

        String incidentId = hook(created[0], "{\"title\": \"Replica lag\"}").path("incident_id").asText();
        ServerProcess.sleep(1500);
        assertEquals(List.of(), target.requests("/alerting/muted"), "muted while the silence lasts");

        List<LoggedRequest> alerts = target.awaitRequests("/alerting/muted", 1, Duration.ofSeconds(10));
        assertEquals(List.of("incident.opened"), events(alerts));
        assertEquals(incidentId, incidentOf(alerts.getFirst()));
        assertFalse(Target.arrival(alerts.getFirst()).isBefore(ends), "not before the silence ended");
        assertFalse(api.get("/v1/silences/" + silence.path("id").asText()).expect(200).path("active").asBoolean());
    }

    @Test
    void anAlertedIncidentSilencedAfterwardsStillGetsItsResolveAlert() {
        String[] created = integrationWithChannel("alerted", "/alerting/alerted", "").split("\\|");
        String incidentId = hook(created[0], "{\"title\": \"Disk full\"}").path("incident_id").asText();
        target.awaitRequests("/alerting/alerted", 1, Duration.ofSeconds(10));
        JsonNode silence = api.post("/v1/silences", "{\"ends_at\": \"" + Instant.now().plusSeconds(600)
                + "\", \"comment\": \"quiet hours\"}").expect(201);
        try {
            api.post("/v1/incidents/" + incidentId + "/acknowledge").expect(200);
            hook(created[0], "{\"title\": \"Disk full\", \"status\": \"resolve\"}");
            target.awaitRequests("/alerting/alerted", 2, Duration.ofSeconds(10));
            ServerProcess.sleep(1000);
            // Deliveries go in parallel: not necessarily in order.
            List<String> heard = events(target.requests("/alerting/alerted"));
            assertEquals(2, heard.size(), "no acknowledgement while silenced: " + heard);
            assertEquals(java.util.Set.of("incident.opened", "incident.resolved"), java.util.Set.copyOf(heard));
        } finally {
            api.delete("/v1/silences/" + silence.path("id").asText()).expect(204);
        }
    }

    @Test
    void alertAfterHoldsTheAlertUntilTheThirdOccurrenceAndSilencesAreValidated() {
        String[] created = integrationWithChannel("flaky", "/alerting/flaky", ", \"alert_after\": 3, "
                + "\"realert_minutes\": 60").split("\\|");
        JsonNode integration = api.get("/v1/integrations/" + created[1]).expect(200);
        assertEquals(3, integration.path("alert_after").asInt(), integration.toString());
        assertEquals(60, integration.path("realert_minutes").asInt(), integration.toString());
        hook(created[0], "{\"title\": \"Export failed\"}");
        hook(created[0], "{\"title\": \"Export failed\"}");
        ServerProcess.sleep(1000);
        assertEquals(List.of(), target.requests("/alerting/flaky"), "two occurrences: no alert yet");
        hook(created[0], "{\"title\": \"Export failed\"}");
        assertEquals(List.of("incident.opened"), events(target.awaitRequests("/alerting/flaky", 1,
                Duration.ofSeconds(10))));

        JsonNode refused = api.post("/v1/silences", "{\"ends_at\": \"2020-01-01T00:00:00Z\"}").expect(422);
        List<String> fields = new java.util.ArrayList<>();
        refused.path("errors").forEach(e -> fields.add(e.path("field").asText()));
        assertEquals(List.of("ends_at", "comment"), fields, refused.toString());
        assertEquals("alert_after", api.patch("/v1/integrations/" + created[1], "{\"alert_after\": 0}").expect(422)
                .path("errors").get(0).path("field").asText());
        assertEquals(404, api.delete("/v1/silences/sil_01jd3k0000000000000000000z").status());
    }
}
