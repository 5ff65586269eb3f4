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
 * The monitoring stack on the packaged server (H2) with a WireMock alert channel. Heartbeat checks (PRODUCT.md section
 * 11): a silent check goes down, opens an incident and alerts; a ping resolves it. Alerting controls (section 12):
 * silences mute openings and never swallow the resolve of an alerted incident; a silence's end alerts what it muted;
 * alert_after holds an incident's alert until its occurrences reach it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MonitoringIT extends AgainstPackagedServer {
    @Override
    String serverName() {
        return "monitoring";
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

    /** A ping as a job's crontab line sends it: no API key. */
    private Api.Reply ping(String method, String url, String body) {
        HttpRequest request = HttpRequest.newBuilder(java.net.URI.create(url)).timeout(Duration.ofSeconds(15))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .header("User-Agent", "curl/8.5.0").build();
        return Api.send(request, method, url);
    }

    @Test
    void aSilentCheckGoesDownWithinSecondsOfItsDeadlineAlertsAndAPingResolvesIt() {
        String[] created = integrationWithChannel("heartbeats", "/monitoring/checks", "").split("\\|");
        JsonNode check = api.post("/v1/checks", "{\"name\": \"nightly backup\", \"period_seconds\": 2, "
                + "\"grace_seconds\": 1, \"integration_id\": \"" + created[1] + "\", \"tags\": \"prod backup\"}")
                .expect(201);
        String id = check.path("id").asText();
        String pingUrl = check.path("ping_url").asText();
        assertTrue(id.startsWith("hc_"), check.toString());
        assertEquals("new", check.path("status").asText());
        assertTrue(pingUrl.startsWith(api.uri("/ping/").toString()), pingUrl);
        assertFalse(pingUrl.contains(id), "the ping URL is not the id");

        Api.Reply started = ping("GET", pingUrl + "/start", null);
        assertEquals(200, started.status());
        assertEquals("OK", started.body());
        ServerProcess.sleep(300);
        assertEquals("OK", ping("POST", pingUrl, "42 files copied").body());
        JsonNode up = api.get("/v1/checks/" + id).expect(200);
        assertEquals("up", up.path("status").asText(), up.toString());
        assertTrue(up.path("last_duration_ms").asLong() >= 300, up.toString());
        Instant deadline = Instant.parse(up.path("next_expected_at").asText()).plusSeconds(1);

        List<LoggedRequest> alerts = target.awaitRequests("/monitoring/checks", 1, Duration.ofSeconds(15));
        assertEquals(List.of("incident.opened"), events(alerts));
        Instant heard = Target.arrival(alerts.getFirst());
        assertFalse(heard.isBefore(deadline), "not before its deadline: " + heard + " < " + deadline);
        assertTrue(heard.isBefore(deadline.plusSeconds(5)), "within 5 s of its deadline: " + heard + " vs " + deadline);
        String incidentId = incidentOf(alerts.getFirst());
        JsonNode incident = api.get("/v1/incidents/" + incidentId).expect(200);
        assertEquals(id, incident.path("dedup_key").asText(), incident.toString());
        assertEquals("nightly backup is down", incident.path("title").asText());
        assertEquals("down", api.get("/v1/checks/" + id).expect(200).path("status").asText());

        assertEquals(200, ping("HEAD", pingUrl + "/0", null).status());
        assertEquals(List.of("incident.opened", "incident.resolved"),
                events(target.awaitRequests("/monitoring/checks", 2, Duration.ofSeconds(10))));
        assertEquals("resolved", api.get("/v1/incidents/" + incidentId).expect(200).path("status").asText());

        JsonNode flips = api.get("/v1/checks/" + id + "/flips").expect(200).path("data");
        assertEquals(List.of("up", "down", "up"), List.of(flips.get(0).path("to").asText(),
                flips.get(1).path("to").asText(), flips.get(2).path("to").asText()), flips.toString());
        JsonNode pings = api.get("/v1/checks/" + id + "/pings").expect(200).path("data");
        assertEquals(3, pings.size(), pings.toString());
        assertEquals("HEAD", pings.get(0).path("method").asText());
        assertEquals("42 files copied", pings.get(1).path("body").asText());
        assertEquals("curl/8.5.0", pings.get(1).path("user_agent").asText());
        assertEquals("start", pings.get(2).path("type").asText());

        // The ping URL is a credential: a read key does not see it.
        String readKey = api.post("/v1/api-keys", "{\"name\": \"viewer\", \"scope\": \"read\"}").expect(201)
                .path("key").asText();
        JsonNode asReader = api.withKey(readKey).get("/v1/checks/" + id).expect(200);
        assertTrue(asReader.path("ping_url").isNull(), asReader.toString());
        assertEquals("up", asReader.path("status").asText());
        assertFalse(api.withKey(readKey).get("/v1/checks").body().contains(pingUrl));

        String scraped = api.withKey(null).get("/observe/metrics").body();
        assertTrue(PrometheusText.parse(scraped).require("http_server_requests_seconds_count", "method", "HEAD",
                "uri", "/ping/{key}/{signal}", "status", "200") >= 1);
        String uuid = pingUrl.substring(pingUrl.lastIndexOf('/') + 1);
        assertFalse(scraped.contains(uuid), "a ping key in the metrics");
    }

    @Test
    void pingsAndChecksAnswerEveryMistakeWithoutA500() {
        JsonNode check = api.post("/v1/checks", "{\"name\": \"import\", \"cron\": \"0 3 * * *\", "
                + "\"timezone\": \"Europe/Berlin\", \"grace_seconds\": 600}").expect(201);
        String pingUrl = check.path("ping_url").asText();
        assertEquals(404, ping("GET", api.uri("/ping/6f1c8a0e-0000-4000-8000-000000000001").toString(), null).status());
        assertEquals(404, ping("GET", api.uri("/ping/not-a-uuid").toString(), null).status());
        Api.Reply badCode = ping("POST", pingUrl + "/256", null);
        assertEquals(422, badCode.status(), badCode.toString());
        assertEquals("exit_code", badCode.json().path("errors").get(0).path("field").asText());
        assertEquals(200, ping("POST", pingUrl + "/fail", "\u0000 binary").status());
        assertEquals("down", api.get("/v1/checks/" + check.path("id").asText()).expect(200).path("status").asText());

        JsonNode refused = api.post("/v1/checks", "{\"name\": \"\", \"period_seconds\": 0, \"grace_seconds\": \"1h\"}")
                .expect(422);
        List<String> fields = new java.util.ArrayList<>();
        refused.path("errors").forEach(e -> fields.add(e.path("field").asText()));
        assertEquals(java.util.Set.of("name", "period_seconds", "grace_seconds"), java.util.Set.copyOf(fields),
                refused.toString());
        assertEquals("timezone", api.post("/v1/checks", "{\"name\": \"x\", \"cron\": \"0 3 * * *\", "
                + "\"timezone\": \"Mars/Olympus\"}").expect(422).path("errors").get(0).path("field").asText());
        assertEquals(409, api.post("/v1/checks/" + check.path("id").asText() + "/resume").status());
        assertEquals("paused", api.post("/v1/checks/" + check.path("id").asText() + "/pause").expect(200)
                .path("status").asText());
        assertEquals(401, api.withKey(null).get("/v1/checks").status());
        api.delete("/v1/checks/" + check.path("id").asText()).expect(204);
        assertEquals(404, ping("GET", pingUrl, null).status());
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
