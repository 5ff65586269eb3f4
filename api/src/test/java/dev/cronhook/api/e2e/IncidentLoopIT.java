package dev.cronhook.api.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.cronhook.api.e2e.JobRequestAssertions.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The closed loop on a fresh server with no configuration: a failing cron job opens one incident in the built-in
 * {@code cronhook} integration, the next failure groups into it, the next success resolves it, and a webhook alert
 * channel hears the opening and the resolution, signed. Scheduler and receiver meet only through the signed
 * notification webhook.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IncidentLoopIT extends AgainstPackagedServer {
    @Override
    String serverName() {
        return "loop";
    }

    @Test
    void aFailingJobOpensOneIncidentThatGroupsAndResolvesOnSuccess() {
        JsonNode builtIn = api.get("/v1/integrations").expect(200).get("data").get(0);
        assertEquals("cronhook", builtIn.get("type").asText(), "a fresh server has the built-in integration");
        assertTrue(builtIn.get("built_in").asBoolean());
        JsonNode subscription = api.get("/v1/webhooks").expect(200).get("data").get(0);
        assertTrue(subscription.get("enabled").asBoolean(), "and the subscription that feeds it: " + subscription);

        String alerts = "/alerts/" + UUID.randomUUID();
        JsonNode channel = api.post("/v1/channels", Api.object().put("type", "webhook").put("url", target.url(alerts)))
                .expect(201);
        String channelSecret = channel.get("signing_secret").asText();

        String path = "/flaky/" + UUID.randomUUID();
        target.stub(any(urlPathEqualTo(path)).willReturn(aResponse().withStatus(500).withBody("down")));
        String jobId = api.post("/v1/jobs", Api.object().put("name", "flaky export").put("url", target.url(path))
                .put("cron", "* * * * * *")).expect(201).get("id").asText();

        List<JsonNode> grouped = Poll.until("an incident for the job with two occurrences", Duration.ofSeconds(15),
                () -> incidentsOf(jobId), list -> list.size() == 1 && list.get(0).get("occurrences").asInt() >= 2);
        JsonNode incident = grouped.get(0);
        String incidentId = incident.get("id").asText();
        assertEquals(builtIn.get("id").asText(), incident.get("integration_id").asText());
        assertEquals("triggered", incident.get("status").asText());
        assertTrue(incident.get("title").asText().contains("flaky export"), incident.toString());

        PrometheusText metrics = PrometheusText.parse(api.withKey(null).get("/observe/metrics").body());
        assertEquals(1, metrics.require("cronhook_incidents_open"), "the open-incidents gauge");
        assertTrue(metrics.require("cronhook_deliveries_pending") >= 0, "the pending-deliveries gauge");

        target.stub(any(urlPathEqualTo(path)).willReturn(aResponse().withStatus(200)));
        JsonNode resolved = Poll.until("the incident is resolved by the next success", Duration.ofSeconds(10),
                () -> api.get("/v1/incidents/" + incidentId).expect(200),
                i -> i.get("status").asText().equals("resolved"));
        assertEquals("auto", resolved.get("resolved_by").asText());
        api.post("/v1/jobs/" + jobId + "/pause").expect(200);
        assertEquals(1, incidentsOf(jobId).size(), "all failures grouped into one incident");

        List<LoggedRequest> received = Poll.until("the channel heard the opening and the resolution",
                Duration.ofSeconds(10), () -> target.requests(alerts), list -> list.stream()
                        .map(r -> header(r, "X-Cronhook-Event")).toList()
                        .containsAll(List.of("incident.opened", "incident.resolved")));
        for (LoggedRequest alert : received) {
            String expected = Signatures.standard(channelSecret, header(alert, "webhook-id"),
                    header(alert, "webhook-timestamp"), alert.getBody());
            assertEquals(expected, header(alert, "webhook-signature"), "signed with the channel's secret");
            JsonNode body = json(alert);
            assertEquals(incidentId, body.get("data").get("incident").get("id").asText());
        }
        assertEquals(1, received.stream().filter(r -> header(r, "X-Cronhook-Event").equals("incident.opened")).count(),
                "grouped failures alert once");
    }

    private List<JsonNode> incidentsOf(String jobId) {
        JsonNode data = api.get("/v1/incidents?limit=500").expect(200).get("data");
        List<JsonNode> matching = new java.util.ArrayList<>();
        data.forEach(i -> {
            if (i.get("dedup_key").asText().equals(jobId)) {
                matching.add(i);
            }
        });
        return matching;
    }

    private static JsonNode json(LoggedRequest request) {
        try {
            return Api.JSON.readTree(request.getBody());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
