package dev.cronhook.api.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The top of the hour on a server nobody tuned: thousands of runs due in the same second at one host wait their turn
 * for a connection and all succeed, instead of failing because the server is busy.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class BurstIT extends AgainstPackagedServer {
    private static final int JOBS = 3_000;

    @Override
    String serverName() {
        return "burst";
    }

    @Test
    void threeThousandOneTimeJobsDueInTheSameSecondAtOneHostAllSucceedOnTheirFirstAttempt() throws Exception {
        // Far enough ahead for every job to exist before the second comes.
        Instant due = Instant.now().plusSeconds(25).truncatedTo(ChronoUnit.SECONDS);
        String path = "/burst";
        try (ExecutorService clients = Executors.newFixedThreadPool(8)) {
            List<Future<JsonNode>> created = new ArrayList<>();
            for (int i = 0; i < JOBS; i++) {
                ObjectNode job = Api.JSON.createObjectNode()
                        .put("name", "burst " + i)
                        .put("url", target.url(path))
                        .put("run_at", due.toString());
                created.add(clients.submit(() -> api.createJob(job)));
            }
            for (Future<JsonNode> job : created) {
                job.get();
            }
        }
        assertTrue(Instant.now().isBefore(due), "creating the jobs took past their time; the test proves nothing");

        List<LoggedRequest> requests = target.awaitRequests(path, JOBS, Duration.ofSeconds(120));

        assertEquals(JOBS, requests.size());
        Set<String> executions = new HashSet<>();
        for (LoggedRequest request : requests) {
            assertEquals("1", request.getHeader("X-Cronhook-Attempt"));
            executions.add(request.getHeader("X-Cronhook-Execution-Id"));
            assertTrue(!Target.arrival(request).isBefore(due), "sent early: " + Target.arrival(request));
        }
        assertEquals(JOBS, executions.size(), "each run once");
        List<JsonNode> succeeded = Poll.until("every execution recorded as succeeded", Duration.ofSeconds(60),
                () -> executions("succeeded"), list -> list.size() >= JOBS);
        assertEquals(JOBS, succeeded.size());
        long waited = 0;
        for (JsonNode execution : succeeded) {
            JsonNode attempts = execution.get("attempts");
            assertEquals(1, attempts.size(), execution.toString());
            assertEquals("success", attempts.get(0).get("outcome").asText(), execution.toString());
            assertTrue(attempts.get(0).get("queued_ms").asLong() >= 0, execution.toString());
            waited = Math.max(waited, attempts.get(0).get("queued_ms").asLong());
        }
        // 3,000 runs over the default 64 connections: most waited for one, and that wait is on the record.
        assertTrue(waited > 0, "no attempt waited in the queue");
        PrometheusText metrics = PrometheusText.parse(api.get("/observe/metrics").body());
        assertEquals(0, metrics.require("cronhook_attempts_total", "outcome", "connection_error"));
        assertEquals(JOBS, metrics.require("cronhook_queue_wait_seconds_count"));
        assertEquals(JOBS, metrics.require("cronhook_executions_total", "status", "succeeded"));
        assertEquals(0, metrics.require("cronhook_executions_total", "status", "failed"));
        // One log line per attempt, with its wait.
        long logged = server.stderr().lines()
                .filter(line -> line.contains(" INFO dev.cronhook.scheduler.runs.OutcomeRecorder - attempt job=")
                        && line.contains(" outcome=success status=200 ") && line.contains(" queued_ms="))
                .count();
        assertEquals(JOBS, logged);
    }

    private List<JsonNode> executions(String status) {
        List<JsonNode> all = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = api.get("/v1/executions?status=" + status + "&limit=500"
                    + (cursor == null ? "" : "&cursor=" + cursor)).expect(200);
            page.get("data").forEach(all::add);
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
        } while (cursor != null);
        return all;
    }
}
