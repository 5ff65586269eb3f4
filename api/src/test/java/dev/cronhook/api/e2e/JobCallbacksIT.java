package dev.cronhook.api.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.cronhook.api.e2e.JobRequestAssertions.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code completion: callback} (PRODUCT.md section 10) on the packaged server (H2): a target that accepts the work
 * with a 2xx and reports its end later to the attempt's callback URL, with no API key. The public URL points at a
 * proxy that is not there; the test, playing the target, posts to the same path on the server.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class JobCallbacksIT extends AgainstPackagedServer {
    private static final String PUBLIC_URL = "https://cronhook.example.test";

    @Override
    String serverName() {
        return "job-callbacks";
    }

    @Override
    Map<String, String> settings() {
        return Map.of("CRONHOOK_PUBLIC_URL", PUBLIC_URL, "CRONHOOK_RETRY_DELAYS", "1s,1s,1s,1s,1s");
    }

    @Test
    void aJobAnswered202ThenCalledBackFailedIsRetriedAndThenSucceeds() {
        String path = "/callbacks/accepts";
        target.stub(any(urlPathEqualTo(path)).willReturn(aResponse().withStatus(202).withBody("queued")));
        JsonNode created = api.createJob(onceJob("export", path).put("completion", "callback"));
        assertEquals("callback", created.path("completion").textValue(), "" + created);
        assertEquals(3600, created.path("callback_timeout_seconds").asInt(), "" + created);
        String jobId = created.get("id").textValue();
        try {
            LoggedRequest first = target.awaitRequests(path, 1, Duration.ofSeconds(10)).getFirst();
            String firstUrl = header(first, "X-Cronhook-Callback-Url");
            assertTrue(firstUrl.matches("https://cronhook\\.example\\.test/callbacks/chc_[A-Za-z0-9_-]{43}"), firstUrl);
            JsonNode awaiting = Poll.until("the 2xx recorded", Duration.ofSeconds(5), () -> single(jobId),
                    e -> e.path("status").textValue().equals("awaiting_callback"));
            JsonNode attempt = awaiting.path("attempts").get(0);
            assertEquals("awaiting_callback", attempt.path("outcome").textValue(), "" + awaiting);
            assertEquals(202, attempt.path("status_code").asInt(), "" + awaiting);
            assertEquals(Instant.parse(attempt.path("finished_at").asText()).plusSeconds(3600),
                    Instant.parse(awaiting.path("callback_deadline").asText()), "" + awaiting);
            assertTrue(awaiting.path("next_attempt_at").isNull(), "" + awaiting);
            assertEquals(1, api.get("/v1/executions?status=awaiting_callback&job_id=" + jobId).expect(200)
                    .path("data").size(), "the status filter finds it");

            JsonNode accepted = callBack(firstUrl, "{\"status\": \"failed\", \"output\": \"disk full\"}").expect(202);
            assertEquals(awaiting.path("id"), accepted.path("execution_id"), "" + accepted);
            assertEquals(1, accepted.path("attempt").asInt(), "" + accepted);
            assertProblem(callBack(firstUrl, "{\"status\": \"succeeded\"}"), 409);

            LoggedRequest second = target.awaitRequests(path, 2, Duration.ofSeconds(10)).get(1);
            assertEquals("2", header(second, "X-Cronhook-Attempt"));
            String secondUrl = header(second, "X-Cronhook-Callback-Url");
            assertNotEquals(firstUrl, secondUrl, "one URL per attempt");
            Poll.until("attempt 2 awaits its callback", Duration.ofSeconds(5), () -> single(jobId),
                    e -> e.path("attempts").size() == 2 && e.path("status").textValue().equals("awaiting_callback"));
            callBack(secondUrl, "{\"status\": \"succeeded\", \"output\": {\"rows\": 3}}").expect(202);

            JsonNode done = Poll.until("succeeded", Duration.ofSeconds(5), () -> single(jobId),
                    e -> e.path("status").textValue().equals("succeeded"));
            JsonNode failedAttempt = done.path("attempts").get(0);
            assertEquals("callback_failed", failedAttempt.path("outcome").textValue(), "" + done);
            assertEquals("failed", failedAttempt.path("callback_status").textValue(), "" + done);
            assertEquals("disk full", failedAttempt.path("callback_output").textValue(), "" + done);
            JsonNode succeeded = done.path("attempts").get(1);
            assertEquals("success", succeeded.path("outcome").textValue(), "" + done);
            assertEquals("{\"rows\":3}", succeeded.path("callback_output").textValue(), "" + done);
            assertEquals("succeeded", api.job(jobId).path("status").textValue());
            assertProblem(callBack(secondUrl, "{\"status\": \"succeeded\"}"), 409);
            assertProblem(callBack(PUBLIC_URL + "/callbacks/chc_" + "A".repeat(43), "{\"status\": \"succeeded\"}"), 404);
            assertEquals(2, target.requests(path).size(), "nothing more sent");
        } finally {
            api.delete("/v1/jobs/" + jobId);
        }
    }

    @Test
    void aCallbackThatNeverComesTimesOutAndIsRetried() {
        String path = "/callbacks/silent";
        target.stub(any(urlPathEqualTo(path)).willReturn(aResponse().withStatus(200)));
        String jobId = api.createJob(onceJob("silent", path).put("completion", "callback")
                .put("callback_timeout_seconds", 2)).get("id").textValue();
        try {
            List<LoggedRequest> sent = target.awaitRequests(path, 2, Duration.ofSeconds(15));
            JsonNode execution = Poll.until("attempt 1 recorded as timed out", Duration.ofSeconds(5),
                    () -> single(jobId), e -> e.path("attempts").size() == 2);
            JsonNode first = execution.path("attempts").get(0);
            assertEquals("callback_timeout", first.path("outcome").textValue(), "" + execution);
            assertEquals("no callback within 2 s of the response", first.path("error").textValue(), "" + execution);
            Instant deadline = Instant.parse(first.path("finished_at").asText()).plusSeconds(2);
            Instant retried = Target.arrival(sent.get(1));
            assertFalse(retried.isBefore(deadline.plusSeconds(1)), "the retry waits its delay after the deadline");
            assertTrue(retried.isBefore(deadline.plusSeconds(4)), "ended within a tick or two of its deadline: "
                    + Duration.between(deadline, retried));
            assertProblem(callBack(header(sent.get(0), "X-Cronhook-Callback-Url"), "{\"status\": \"succeeded\"}"),
                    409);
        } finally {
            api.delete("/v1/jobs/" + jobId);
        }
    }

    @Test
    void aTargetThatCallsBackBeforeItAnswersIsHeard() throws IOException {
        // A real target: it reports the work done, then answers the request that started it.
        List<Integer> callbackReplies = new CopyOnWriteArrayList<>();
        HttpServer quick = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        quick.createContext("/", exchange -> {
            String url = exchange.getRequestHeaders().getFirst("X-Cronhook-Callback-Url");
            callbackReplies.add(callBack(url, "{\"status\": \"succeeded\", \"output\": \"done already\"}").status());
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        quick.start();
        String jobId = api.createJob(onceJob("quick", "/unused").put("url", "http://127.0.0.1:"
                + quick.getAddress().getPort() + "/work").put("completion", "callback")).get("id").textValue();
        try {
            JsonNode done = Poll.until("succeeded", Duration.ofSeconds(10), () -> api.executionsOf(jobId),
                    list -> !list.isEmpty() && list.getFirst().path("status").textValue().equals("succeeded"))
                    .getFirst();
            assertEquals(List.of(202), callbackReplies, "accepted before the 2xx was recorded");
            assertEquals("success", done.path("attempts").get(0).path("outcome").textValue(), "" + done);
            assertEquals("done already", done.path("attempts").get(0).path("callback_output").textValue(), "" + done);
        } finally {
            quick.stop(0);
            api.delete("/v1/jobs/" + jobId);
        }
    }

    @Test
    void aRestartWhileAwaitingTheCallbackStillAcceptsItAfterwards() {
        String path = "/callbacks/restart";
        target.stub(any(urlPathEqualTo(path)).willReturn(aResponse().withStatus(202)));
        String jobId = api.createJob(onceJob("survives", path).put("completion", "callback")).get("id").textValue();
        try {
            String url = header(target.awaitRequests(path, 1, Duration.ofSeconds(10)).getFirst(),
                    "X-Cronhook-Callback-Url");
            Poll.until("the 2xx recorded", Duration.ofSeconds(5), () -> single(jobId),
                    e -> e.path("status").textValue().equals("awaiting_callback"));
            server.restart();
            callBack(url, "{\"status\": \"succeeded\"}").expect(202);
            JsonNode done = Poll.until("succeeded", Duration.ofSeconds(5), () -> single(jobId),
                    e -> e.path("status").textValue().equals("succeeded"));
            assertEquals(1, done.path("attempts").size(), "" + done);
            assertEquals(1, target.requests(path).size(), "sent once");
        } finally {
            api.delete("/v1/jobs/" + jobId);
        }
    }

    @Test
    void badCallbacksAndBadPoliciesAreNamed() {
        String token = PUBLIC_URL + "/callbacks/chc_" + "B".repeat(43);
        assertEquals("status", assertProblem(callBack(token, "{\"status\": \"done\"}"), 422)
                .path("errors").get(0).path("field").textValue());
        assertEquals("status", assertProblem(callBack(token, "{\"output\": \"x\"}"), 422)
                .path("errors").get(0).path("field").textValue());
        assertProblem(callBack(token, "not json"), 400);
        assertProblem(callBack(token, "{\"status\": \"succeeded\", \"output\": \"" + "x".repeat(70_000) + "\"}"), 413);
        assertProblem(callBack(token, "{\"status\": \"succeeded\"}"), 404);
        for (Object timeout : List.of(0, 86_401, "60")) {
            ObjectNode job = onceJob("bad", "/callbacks/bad").put("completion", "callback");
            job.set("callback_timeout_seconds", Api.JSON.valueToTree(timeout));
            assertEquals("callback_timeout_seconds", assertProblem(api.post("/v1/jobs", job), 422)
                    .path("errors").get(0).path("field").textValue());
        }
        assertEquals("completion", assertProblem(api.post("/v1/jobs", onceJob("bad", "/callbacks/bad")
                .put("completion", "later")), 422).path("errors").get(0).path("field").textValue());
    }

    private ObjectNode onceJob(String name, String path) {
        return Api.object().put("name", name).put("url", target.url(path))
                .put("run_at", Instant.now().plusSeconds(1).toString());
    }

    private JsonNode single(String jobId) {
        List<JsonNode> executions = api.executionsOf(jobId);
        return executions.isEmpty() ? Api.object().put("status", "none") : executions.getFirst();
    }

    /** Posts to the callback URL's path on the server, as the proxy at the public URL would; no API key. */
    private Api.Reply callBack(String callbackUrl, String body) {
        String path = URI.create(callbackUrl).getRawPath();
        return api.withKey(null).send("POST", path, "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode assertProblem(Api.Reply reply, int status) {
        JsonNode problem = reply.expect(status);
        assertTrue(reply.contentType().startsWith("application/problem+json"), "" + reply);
        assertEquals(status, problem.path("status").asInt(), "" + reply);
        return problem;
    }
}
