package dev.cronhook.api.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.cronhook.api.e2e.JobRequestAssertions.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Failure handled for real, on the packaged server (H2): a retry sequence survives a crash, notification webhooks
 * over the REST API, and neither a slow subscriber nor a hanging target delays jobs to a healthy one.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RetriesAndWebhooksIT extends AgainstPackagedServer {
    @Override
    String serverName() {
        return "retries";
    }

    @Override
    Map<String, String> settings() {
        return Map.of("CRONHOOK_RETRY_DELAYS", "3s,3s,3s,3s,3s",
                "CRONHOOK_WEBHOOK_RETRY_DELAYS", "1s,1s,1s,1s,1s,1s");
    }

    private static final Duration RETRY = Duration.ofSeconds(3);

    /** A crash (SIGKILL) after the first failed attempt: the remaining attempts still happen, once each. */
    @Test
    void aRetrySequenceSurvivesACrash() {
        String path = "/retry/crash-" + UUID.randomUUID();
        failTimesThenSucceed(path, 3);
        Instant runAt = Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.MILLIS);
        String jobId = api.post("/v1/jobs", Api.object().put("name", "crash").put("url", target.url(path))
                .put("run_at", runAt.toString())).expect(201).get("id").asText();

        JsonNode retrying = Poll.until("the first attempt failed", Duration.ofSeconds(10),
                () -> api.get("/v1/jobs/" + jobId + "/executions").expect(200).get("data"),
                data -> data.size() == 1 && data.get(0).get("status").asText().equals("retry_scheduled"));
        assertEquals("retrying", api.get("/v1/jobs/" + jobId).expect(200).get("status").asText());
        String executionId = retrying.get(0).get("id").asText();
        server.kill();
        server.startAgain();
        Instant backUp = Instant.now();

        Poll.until("the job succeeded", Duration.ofSeconds(30),
                () -> api.get("/v1/jobs/" + jobId).expect(200).get("status").asText(), "succeeded"::equals);
        List<LoggedRequest> requests = target.requests(path);
        assertEquals(List.of("1", "2", "3", "4"), requests.stream().map(r -> header(r, "X-Cronhook-Attempt")).toList(),
                "every attempt once, in order");
        assertTrue(requests.stream().allMatch(r -> header(r, "X-Cronhook-Execution-Id").equals(executionId)));
        JsonNode execution = api.get("/v1/executions/" + executionId).expect(200);
        assertEquals("succeeded", execution.get("status").asText());
        assertEquals(4, execution.get("attempts").size());
        for (int i = 1; i < 4; i++) {
            Instant previousEnd = Instant.parse(execution.get("attempts").get(i - 1).get("finished_at").asText());
            Instant started = Instant.parse(execution.get("attempts").get(i).get("started_at").asText());
            Instant due = previousEnd.plus(RETRY);
            assertFalse(started.isBefore(due), "attempt " + (i + 1) + " never early");
            // A retry that fell due while the server was down goes as soon as it is back.
            Instant owed = due.isAfter(backUp) ? due : backUp;
            assertTrue(started.isBefore(owed.plusSeconds(1)), "attempt " + (i + 1) + " within 1 s of when it was "
                    + "owed: due " + due + ", server back " + backUp + ", started " + started);
        }
    }

    @Test
    void webhooksOverTheApiDeliverSignedEventsPingAndRotate() {
        String hook = "/subscriber/" + UUID.randomUUID();
        JsonNode created = api.post("/v1/webhooks", Api.object().put("nickname", "ops")
                .put("url", target.url(hook)).put("authorization", "Bearer hook-token")
                .set("topics", Api.JSON.createArrayNode().add("*"))).expect(201);
        String webhookId = created.get("id").asText();
        String secret = created.get("signing_secret").asText();
        assertTrue(webhookId.startsWith("wh_"), webhookId);
        assertTrue(secret.startsWith("whsec_"));
        assertTrue(created.get("has_authorization").asBoolean());
        assertFalse(created.has("authorization"), "the credential is never shown back");
        JsonNode fetched = api.get("/v1/webhooks/" + webhookId).expect(200);
        assertFalse(fetched.has("signing_secret"), "the secret is shown once");
        List<String> listed = new ArrayList<>();
        api.get("/v1/webhooks").expect(200).get("data").forEach(w -> listed.add(w.get("id").asText()));
        assertTrue(listed.contains(webhookId), listed.toString());

        String jobId = api.post("/v1/jobs", Api.object().put("name", "notify").put("url", target.url("/ok/notify"))
                .put("cron", "0 0 1 1 *")).expect(201).get("id").asText();
        api.post("/v1/jobs/" + jobId + "/trigger").expect(202);
        List<LoggedRequest> events = target.awaitRequests(hook, 2, Duration.ofSeconds(10));
        // Both events of the attempt, each once; deliveries go out in parallel, so not necessarily in this order (the
        // README tells subscribers to order events by what they say).
        assertEquals(List.of("job.execution.started", "job.execution.succeeded"),
                events.stream().map(r -> header(r, "X-Cronhook-Event")).sorted().toList());
        for (LoggedRequest event : events) {
            assertSignedBy(secret, event);
            assertEquals("Bearer hook-token", header(event, "Authorization"));
        }

        JsonNode deliveries = Poll.until("both deliveries logged as succeeded", Duration.ofSeconds(5),
                () -> api.get("/v1/webhooks/" + webhookId + "/deliveries").expect(200).get("data"),
                data -> data.size() == 2 && data.get(0).get("status").asText().equals("succeeded")
                        && data.get(1).get("status").asText().equals("succeeded"));
        JsonNode delivery = deliveries.get(0);
        assertTrue(delivery.get("id").asText().startsWith("dlv_"));
        assertEquals(1, delivery.get("attempts").size());
        assertEquals(200, delivery.get("attempts").get(0).get("status_code").asInt());

        JsonNode ping = api.post("/v1/webhooks/" + webhookId + "/ping").expect(200);
        assertEquals("webhook.ping", ping.get("event_type").asText());
        assertEquals("succeeded", ping.get("status").asText());
        assertEquals(1, ping.get("attempts").size());

        String newSecret = api.post("/v1/webhooks/" + webhookId + "/rotate-secret").expect(200)
                .get("signing_secret").asText();
        api.post("/v1/webhooks/" + webhookId + "/ping").expect(200);
        LoggedRequest afterRotation = target.requests(hook).getLast();
        String[] signatures = header(afterRotation, "webhook-signature").split(" ");
        assertEquals(2, signatures.length, "both secrets sign during the overlap");
        String id = header(afterRotation, "webhook-id");
        String timestamp = header(afterRotation, "webhook-timestamp");
        assertEquals(Signatures.standard(newSecret, id, timestamp, afterRotation.getBody()), signatures[0]);
        assertEquals(Signatures.standard(secret, id, timestamp, afterRotation.getBody()), signatures[1]);

        int before = target.requests(hook).size();
        api.post("/v1/webhooks/" + webhookId + "/deliveries/" + delivery.get("id").asText() + "/redeliver").expect(202);
        List<LoggedRequest> again = target.awaitRequests(hook, before + 1, Duration.ofSeconds(5));
        assertEquals(delivery.get("event_id").asText(), header(again.getLast(), "webhook-id"), "the same event id");

        assertEquals(422, api.post("/v1/webhooks", Api.object().put("nickname", "x").put("url", target.url("/x"))
                .set("topics", Api.JSON.createArrayNode().add("job.finished"))).status());
        assertEquals(404, api.get("/v1/webhooks/wh_00000000000000000000000000").status());
        api.delete("/v1/webhooks/" + webhookId).expect(204);
        assertEquals(404, api.get("/v1/webhooks/" + webhookId).status());
    }

    /**
     * Many jobs to a target that hangs until their timeout, and a subscriber that takes 5 s per event: jobs to a
     * healthy target (another server, as in life) still start on time.
     */
    @Test
    void aHangingTargetAndASlowSubscriberDoNotDelayHealthyJobs() {
        try (Target slow = new Target(200)) {
            hangingTargetAndSlowSubscriber(slow);
        }
    }

    private void hangingTargetAndSlowSubscriber(Target slow) {
        String hanging = "/hang/" + UUID.randomUUID();
        slow.stub(any(urlPathEqualTo(hanging)).willReturn(aResponse().withStatus(200).withFixedDelay(6000)));
        String slowHook = "/slow-subscriber/" + UUID.randomUUID();
        slow.stub(any(urlPathEqualTo(slowHook)).willReturn(aResponse().withStatus(200).withFixedDelay(5000)));
        String webhookId = api.post("/v1/webhooks", Api.object().put("nickname", "slow").put("url",
                slow.url(slowHook)).set("topics", Api.JSON.createArrayNode().add("*"))).expect(201).get("id").asText();

        Instant runAt = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.SECONDS);
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            jobs.add(api.post("/v1/jobs", Api.object().put("name", "hang " + i).put("url", slow.url(hanging))
                    .put("run_at", runAt.toString()).put("timeout_seconds", 5)).expect(201).get("id").asText());
        }
        String healthy = "/healthy/" + UUID.randomUUID();
        List<Instant> due = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Instant at = runAt.plusMillis(500L + 250L * i);
            due.add(at);
            jobs.add(api.post("/v1/jobs", Api.object().put("name", "healthy " + i).put("url", target.url(healthy))
                    .put("run_at", at.toString())).expect(201).get("id").asText());
        }
        List<LoggedRequest> arrived = target.awaitRequests(healthy, 10, Duration.ofSeconds(15));
        for (LoggedRequest request : arrived) {
            Instant scheduled = Instant.parse(header(request, "X-Cronhook-Scheduled-For"));
            long lagMillis = Duration.between(scheduled, Target.arrival(request)).toMillis();
            assertTrue(lagMillis >= 0 && lagMillis < 500, "healthy job lag " + lagMillis + " ms");
        }
        api.delete("/v1/webhooks/" + webhookId).expect(204);
        jobs.forEach(id -> api.delete("/v1/jobs/" + id));
    }

    private void failTimesThenSucceed(String path, int failures) {
        String state = Scenario.STARTED;
        for (int i = 1; i <= failures; i++) {
            String next = "failed-" + i;
            target.stub(any(urlPathEqualTo(path)).inScenario(path).whenScenarioStateIs(state)
                    .willReturn(aResponse().withStatus(503)).willSetStateTo(next));
            state = next;
        }
        target.stub(any(urlPathEqualTo(path)).inScenario(path).whenScenarioStateIs(state)
                .willReturn(aResponse().withStatus(200)));
    }

    private static void assertSignedBy(String secret, LoggedRequest request) {
        String id = header(request, "webhook-id");
        assertTrue(id.startsWith("evt_") || id.startsWith("exe_"), id);
        String expected = Signatures.standard(secret, id, header(request, "webhook-timestamp"), request.getBody());
        assertEquals(expected, header(request, "webhook-signature"));
        assertEquals(Signatures.cronhook(secret, request.getBody()), header(request, "X-Cronhook-Signature"));
    }
}
