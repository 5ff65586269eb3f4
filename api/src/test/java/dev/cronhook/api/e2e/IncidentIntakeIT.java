package dev.cronhook.api.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The incident receiver through the packaged server: an integration's intake URL takes events without an API key,
 * the incident shows up in the API, and a webhook channel receives signed incident.opened and incident.resolved.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class IncidentIntakeIT extends AgainstPackagedServer {
    @Override
    String serverName() {
        return "incidents";
    }

    private Api.Reply hook(String path, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.uri(path))
                .timeout(Duration.ofSeconds(15))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers.forEach(request::header);
        return Api.send(request.build(), "POST", path);
    }

    private JsonNode createIntegration(String json) {
        return api.post("/v1/integrations", json).expect(201);
    }

    @Test
    void anEventOpensAnIncidentThatTheApiShowsGroupsAndResolves() {
        JsonNode integration = createIntegration("{\"name\": \"Spike-style alerts\", \"type\": \"generic\"}");
        String token = integration.path("token").asText();
        assertTrue(token.length() > 40, integration.toString());
        assertEquals(server.baseUri() + "/hooks/" + token, integration.path("intake_url").asText(),
                "the intake URL is built from the Host the client used");
        assertFalse(api.get("/v1/integrations/" + integration.path("id").asText()).body().contains(token),
                "the token is shown once");

        JsonNode opened = hook("/hooks/" + token, "{\"title\": \"Checkout errors\", \"body\": {\"rate\": 0.07}, "
                + "\"severity\": \"sev1\", \"priority\": \"p1\"}", Map.of("Content-Type", "application/json"))
                .expect(202);
        assertTrue(opened.path("ok").asBoolean());
        assertEquals("opened", opened.path("action").asText());
        String incidentId = opened.path("incident_id").asText();
        assertEquals("grouped", hook("/hooks/" + token + "/push-events", "{\"title\": \"Checkout errors\"}",
                Map.of()).expect(202).path("action").asText());
        assertEquals("grouped", hook("/hooks", "{\"title\": \"Checkout errors\"}",
                Map.of("X-Cronhook-Token", token)).expect(202).path("action").asText());

        JsonNode incident = api.get("/v1/incidents/" + incidentId).expect(200);
        assertEquals(3, incident.path("occurrences").asInt());
        assertEquals("triggered", incident.path("status").asText());
        assertEquals("sev1", incident.path("severity").asText());
        assertEquals("p1", incident.path("priority").asText());
        assertEquals(0.07, incident.path("body").path("rate").asDouble());
        assertEquals("Checkout errors", incident.path("dedup_key").asText());
        assertEquals(integration.path("id").asText(), incident.path("integration_id").asText());
        assertTrue(incident.path("number").asLong() >= 1);
        assertEquals(3, incident.path("timeline").size(), incident.toString());
        JsonNode listed = api.get("/v1/incidents?status=triggered&integration_id=" + integration.path("id").asText())
                .expect(200);
        assertEquals(incidentId, listed.path("data").get(0).path("id").asText());
        assertTrue(listed.has("next_cursor"));

        JsonNode acknowledged = api.post("/v1/incidents/" + incidentId + "/acknowledge").expect(200);
        assertEquals("acknowledged", acknowledged.path("status").asText());
        JsonNode resolved = api.post("/v1/incidents/" + incidentId + "/resolve").expect(200);
        assertEquals("resolved", resolved.path("status").asText());
        assertEquals("api", resolved.path("resolved_by").asText());
        assertTrue(resolved.path("resolved_at").asText().endsWith("Z"));
        JsonNode conflict = api.post("/v1/incidents/" + incidentId + "/resolve").expect(409);
        assertEquals(409, conflict.path("status").asInt());
    }

    @Test
    void aNulInAnEventIsKeptAsAReplacementCharacterAndNeverMergesKeys() {
        JsonNode generic = createIntegration("{\"name\": \"generic with NUL\", \"type\": \"generic\"}");
        String path = "/hooks/" + generic.path("token").asText();
        JsonNode withNul = hook(path, "{\"title\": \"disk\\u0000full\", \"body\": {\"k\\u0000\": \"v\\u0000\"}}",
                Map.of()).expect(202);
        assertEquals("opened", withNul.path("action").asText());
        JsonNode without = hook(path, "{\"title\": \"diskfull\"}", Map.of()).expect(202);
        assertEquals("opened", without.path("action").asText(), "a key without the NUL is another incident");
        JsonNode incident = api.get("/v1/incidents/" + withNul.path("incident_id").asText()).expect(200);
        assertEquals("disk\ufffdfull", incident.path("dedup_key").asText());

        JsonNode pd = createIntegration("{\"name\": \"PagerDuty with NUL\", \"type\": \"pagerduty\"}");
        assertEquals("opened", hook("/hooks/" + pd.path("token").asText(), "{\"event_action\": \"trigger\", "
                + "\"dedup_key\": \"a\\u0000b\", \"payload\": {\"summary\": \"x\\u0000\", \"source\": \"s\", "
                + "\"severity\": \"error\"}}", Map.of()).expect(202).path("action").asText());
        JsonNode cronicle = createIntegration("{\"name\": \"Cronicle with NUL\", \"type\": \"cronicle\"}");
        assertEquals(202, hook("/hooks/" + cronicle.path("token").asText(), "{\"action\": \"job_complete\", "
                + "\"event\": \"e\\u0000\", \"event_title\": \"t\\u0000\", \"code\": 1, \"hostname\": \"h\"}",
                Map.of()).status());
    }

    @Test
    void intakeRefusesWhatItCannotTake() {
        JsonNode pd = createIntegration("{\"name\": \"PagerDuty-style\", \"type\": \"pagerduty\"}");
        String path = "/hooks/" + pd.path("token").asText();

        assertEquals(404, hook("/hooks/cht_unknown", "{}", Map.of()).status());
        assertEquals(404, hook("/hooks", "{}", Map.of()).status(), "no token at all");
        assertEquals(400, hook(path, "{\"event_action\": ", Map.of()).status());
        Api.Reply unreadable = hook(path, "{\"event_action\": \"trigger\", \"payload\": {}}", Map.of());
        assertEquals(422, unreadable.status());
        assertEquals("application/problem+json", unreadable.contentType());
        assertEquals("payload.summary", unreadable.json().path("errors").get(0).path("field").asText());
        Api.Reply tooLarge = hook(path, "{\"event_action\": \"trigger\", \"pad\": \"" + "x".repeat(512 * 1024)
                + "\"}", Map.of());
        assertEquals(413, tooLarge.status());

        JsonNode ctg = createIntegration("{\"name\": \"Cron To Go\", \"type\": \"crontogo\", "
                + "\"signing_secret\": \"Very Secret Secret\"}");
        Api.Reply unsigned = hook("/hooks/" + ctg.path("token").asText(),
                "{\"Topic\": \"job.execution.failed\", \"Data\": {\"JobId\": \"j-1\"}}", Map.of());
        assertEquals(401, unsigned.status());
        String body = "{\"Topic\": \"job.execution.failed\", \"Data\": {\"JobId\": \"j-1\"}}";
        assertEquals("opened", hook("/hooks/" + ctg.path("token").asText(), body,
                Map.of("X-Hub-Signature", Signatures.cronhook("Very Secret Secret",
                        body.getBytes(StandardCharsets.UTF_8)))).expect(202).path("action").asText());

        assertFalse(server.stdout().contains(pd.path("token").asText()), "tokens never appear in logs");
        assertFalse(server.stderr().contains(pd.path("token").asText()), "tokens never appear in logs");
    }

    @Test
    void aWebhookChannelReceivesSignedOpenedAndResolvedAlerts() {
        JsonNode healthchecks = createIntegration("{\"name\": \"Healthchecks\", \"type\": \"healthchecks\"}");
        String integrationId = healthchecks.path("id").asText();
        JsonNode channel = api.post("/v1/channels", "{\"type\": \"webhook\", \"url\": \"" + target.url("/alerts")
                + "\", \"integration_ids\": [\"" + integrationId + "\"]}").expect(201);
        String secret = channel.path("signing_secret").asText();
        assertTrue(secret.startsWith("whsec_"), channel.toString());
        assertFalse(api.get("/v1/channels/" + channel.path("id").asText()).body().contains(secret));

        String check = "{\"name\": \"Nightly backup\", \"uuid\": \"0f4f2a5e-8e0b-4b54-9b2e-3b3e1b1e8a11\", "
                + "\"desc\": \"pg_dump to S3\"}";
        String path = "/hooks/" + healthchecks.path("token").asText();
        String incidentId = hook(path, check, Map.of("Check-Status", "down")).expect(202).path("incident_id").asText();
        assertEquals("resolved", hook(path, check, Map.of("Check-Status", "up")).expect(202).path("action").asText());

        List<LoggedRequest> alerts = target.awaitRequests("/alerts", 2, Duration.ofSeconds(30));
        // Deliveries are at least once and in parallel, so not necessarily in order: receivers read the status.
        assertEquals(java.util.Set.of("incident.opened", "incident.resolved"),
                alerts.stream().map(a -> a.getHeader("X-Cronhook-Event")).collect(java.util.stream.Collectors.toSet()));
        for (LoggedRequest alert : alerts) {
            byte[] body = alert.getBody();
            String id = alert.getHeader("webhook-id");
            String timestamp = alert.getHeader("webhook-timestamp");
            assertTrue(alert.getHeader("webhook-signature").contains(Signatures.standard(secret, id, timestamp, body)),
                    "signed with the channel's secret");
            JsonNode event = readTree(alert);
            assertEquals(id, event.path("id").asText());
            assertTrue(id.startsWith("evt_"));
            assertEquals(alert.getHeader("X-Cronhook-Event"), event.path("type").asText());
            JsonNode incident = event.path("data").path("incident");
            assertEquals(incidentId, incident.path("id").asText());
            assertEquals("0f4f2a5e-8e0b-4b54-9b2e-3b3e1b1e8a11", incident.path("dedup_key").asText());
            for (String field : List.of("number", "integration_id", "title", "body", "severity", "priority", "status",
                    "occurrences", "created_at", "last_occurrence_at", "acknowledged_at", "resolved_at",
                    "resolved_by")) {
                assertTrue(incident.has(field), field + " in " + incident);
            }
        }
        LoggedRequest resolvedAlert = alerts.stream()
                .filter(a -> a.getHeader("X-Cronhook-Event").equals("incident.resolved")).findFirst().orElseThrow();
        assertEquals("resolved", readTree(resolvedAlert).path("data").path("incident").path("status").asText());
        assertEquals("auto", readTree(resolvedAlert).path("data").path("incident").path("resolved_by").asText());
    }

    private static JsonNode readTree(LoggedRequest request) {
        try {
            return Api.JSON.readTree(request.getBody());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void anAlertmanagerNotificationOpensOneIncidentAndResolvesAnother() {
        String token = createIntegration("{\"name\": \"Prometheus\", \"type\": \"alertmanager\"}")
                .path("token").asText();
        String diskFull = "{\"status\": \"%s\", \"labels\": {\"alertname\": \"DiskFull\", \"instance\": \"db01\", "
                + "\"severity\": \"warning\"}, \"annotations\": {\"summary\": \"Disk full on db01\"}, "
                + "\"startsAt\": \"2026-12-06T12:00:00Z\", \"fingerprint\": \"9c2f5e0d4b3a1f77\"}";
        JsonNode first = hook("/hooks/" + token, "{\"version\": \"4\", \"status\": \"firing\", \"alerts\": ["
                + diskFull.formatted("firing") + "]}", Map.of("Content-Type", "application/json")).expect(202);
        String diskIncident = first.path("results").get(0).path("incident_id").asText();
        assertEquals("opened", first.path("results").get(0).path("action").asText(), first.toString());

        JsonNode both = hook("/hooks/" + token, "{\"version\": \"4\", \"status\": \"firing\", \"alerts\": ["
                + "{\"status\": \"firing\", \"labels\": {\"alertname\": \"ProbeFailure\", \"severity\": \"critical\"}, "
                + "\"annotations\": {}, \"fingerprint\": \"1a30ba71cca2921f\"}, " + diskFull.formatted("resolved")
                + "], \"groupKey\": \"{}:{}\", \"truncatedAlerts\": 0}", Map.of("Content-Type", "application/json"))
                .expect(202);
        assertTrue(both.path("ok").asBoolean(), both.toString());
        JsonNode results = both.path("results");
        assertEquals(2, results.size(), both.toString());
        assertEquals("1a30ba71cca2921f", results.get(0).path("fingerprint").asText());
        assertEquals("opened", results.get(0).path("action").asText());
        assertEquals("9c2f5e0d4b3a1f77", results.get(1).path("fingerprint").asText());
        assertEquals("resolved", results.get(1).path("action").asText());
        assertEquals(diskIncident, results.get(1).path("incident_id").asText());

        JsonNode probe = api.get("/v1/incidents/" + results.get(0).path("incident_id").asText()).expect(200);
        assertEquals("ProbeFailure", probe.path("title").asText(), "no summary: the alert name");
        assertEquals("sev1", probe.path("severity").asText());
        assertEquals("triggered", probe.path("status").asText());
        JsonNode disk = api.get("/v1/incidents/" + diskIncident).expect(200);
        assertEquals("Disk full on db01", disk.path("title").asText());
        assertEquals("sev2", disk.path("severity").asText());
        assertEquals("resolved", disk.path("status").asText());

        JsonNode refused = hook("/hooks/" + token, "{\"version\": \"4\", \"alerts\": [{\"status\": \"firing\"}]}",
                Map.of()).expect(422);
        assertEquals("alerts[0].fingerprint", refused.path("errors").get(0).path("field").asText(), refused.toString());
    }

    @Test
    void aPagerDutyTriggerWithoutADedupKeyIsAnsweredWithOneAsPagerDutyWould() {
        String token = createIntegration("{\"name\": \"PD-style\", \"type\": \"pagerduty\"}").path("token").asText();
        JsonNode reply = hook("/hooks/" + token, "{\"routing_key\": \"r\", \"event_action\": \"trigger\", "
                + "\"payload\": {\"summary\": \"Queue backed up\", \"source\": \"worker-3\", \"severity\": \"error\"}}",
                Map.of("Content-Type", "application/json")).expect(202);
        assertEquals("success", reply.path("status").asText(), reply.toString());
        assertEquals("Event processed", reply.path("message").asText(), reply.toString());
        assertEquals("opened", reply.path("action").asText(), reply.toString());
        String dedupKey = reply.path("dedup_key").asText();
        assertTrue(dedupKey.matches("[0-9a-f]{32}"), reply.toString());

        JsonNode resolved = hook("/hooks/" + token, "{\"routing_key\": \"r\", \"event_action\": \"resolve\", "
                + "\"dedup_key\": \"" + dedupKey + "\"}", Map.of()).expect(202);
        assertEquals("resolved", resolved.path("action").asText(), resolved.toString());
        assertEquals(reply.path("incident_id"), resolved.path("incident_id"));
        assertEquals(dedupKey, resolved.path("dedup_key").asText(), "the key sent comes back too");
    }

    @Test
    void hooksNeedNoApiKeyButTheApiDoes() {
        JsonNode integration = createIntegration("{\"name\": \"Cronicle\", \"type\": \"cronicle\"}");
        assertEquals(401, api.withKey(null).get("/v1/incidents").status());
        assertEquals(202, hook("/hooks/" + integration.path("token").asText(),
                "{\"action\": \"job_start\", \"event\": \"3c182051\"}", Map.of()).status());
        URI rotated = URI.create(api.post("/v1/integrations/" + integration.path("id").asText() + "/rotate-token")
                .expect(200).path("intake_url").asText());
        assertEquals(404, hook("/hooks/" + integration.path("token").asText(), "{\"action\": \"job_start\"}",
                Map.of()).status(), "the old token stops at once");
        assertEquals(202, hook(rotated.getPath(), "{\"action\": \"job_start\", \"event\": \"e\"}", Map.of()).status());
    }
}
