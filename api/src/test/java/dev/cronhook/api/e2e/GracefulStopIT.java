package dev.cronhook.api.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Two packaged servers on PostgreSQL. One holds requests to a target that answers only after 40 s when it is stopped
 * (SIGTERM) with a shutdown grace of 2 s: it exits within grace + 5 s, its log has every line of the stop, and the
 * other node sends the cut-off requests again within seconds, as the same execution and attempt.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class GracefulStopIT {
    private static final String ADMIN_KEY = "chk_e2e_" + UUID.randomUUID().toString().replace("-", "");
    private static final Duration GRACE = Duration.ofSeconds(2);
    private static final int JOBS = 5;

    private OnPostgres postgres;
    private Target target;

    @BeforeAll
    void start() {
        postgres = new OnPostgres();
        target = new Target();
        target.stub(any(urlPathEqualTo("/slow")).willReturn(aResponse().withStatus(200).withBody("late")
                .withFixedDelay(40_000)));
    }

    @AfterAll
    void stop() {
        try (var closeTarget = target; var closeDatabase = postgres) {
            // the servers and the schema first, then the target
        }
    }

    private ServerProcess node(String name) {
        return postgres.start(name, ADMIN_KEY, Map.of("CRONHOOK_SHUTDOWN_GRACE", GRACE.toSeconds() + "s"));
    }

    @Test
    void requestsCutOffByAStopAreSentAgainByAnotherNodeWithinSeconds() {
        ServerProcess stopping = node("stopping");
        Api api = new Api(stopping, ADMIN_KEY);
        Instant runAt = Instant.now().plusSeconds(2);
        for (int i = 0; i < JOBS; i++) {
            api.createJob(Api.object().put("name", "slow-" + i).put("url", target.url("/slow"))
                    .put("run_at", runAt.toString()).put("timeout_seconds", 60));
        }
        target.awaitRequests("/slow", JOBS, Duration.ofSeconds(15));

        // The other node may take over others' runs once it has heartbeated for a node timeout (10 s).
        ServerProcess other = node("other");
        Api otherApi = new Api(other, ADMIN_KEY);
        Poll.until("the other node heartbeating for a node timeout", Duration.ofSeconds(30),
                () -> otherApi.get("/v1/nodes").expect(200).get("data"),
                data -> otherNodeHeartbeatingSince(data, Duration.ofSeconds(11)));

        Instant stopAt = Instant.now();
        stopping.stop();
        Duration stopTook = Duration.between(stopAt, Instant.now());
        assertTrue(stopTook.compareTo(GRACE.plusSeconds(5)) <= 0, "exited " + stopTook + " after SIGTERM");
        String log = stopping.stderr();
        assertTrue(log.contains("cut off by shutdown"), "the stop's lines are in the log:\n" + log);
        assertTrue(log.contains("handed on"), log);
        assertTrue(log.contains("Cronhook stopped in"), log);

        List<LoggedRequest> sent = target.awaitRequests("/slow", 2 * JOBS, Duration.ofSeconds(20));
        List<LoggedRequest> again = sent.stream().filter(r -> Target.arrival(r).isAfter(stopAt)).toList();
        assertEquals(JOBS, again.size(), "each cut-off request sent again once");
        for (LoggedRequest request : again) {
            Duration after = Duration.between(stopAt, Target.arrival(request));
            assertTrue(after.compareTo(Duration.ofSeconds(10)) <= 0, "sent again " + after + " after the stop");
            assertEquals("1", request.getHeader("X-Cronhook-Attempt"), "the same attempt");
        }
        Set<String> first = sent.stream().filter(r -> !Target.arrival(r).isAfter(stopAt))
                .map(r -> r.getHeader("X-Cronhook-Execution-Id")).collect(Collectors.toSet());
        assertEquals(first, again.stream().map(r -> r.getHeader("X-Cronhook-Execution-Id")).collect(Collectors.toSet()),
                "the same executions");
        JsonNode nodesNow = otherApi.get("/v1/nodes").expect(200).get("data");
        assertTrue(nodesNow.toString().contains("\"state\":\"stopped\""), nodesNow.toString());
        System.out.println("graceful stop: exited " + stopTook.toMillis() + " ms after SIGTERM; cut-off requests sent "
                + "again " + again.stream().map(r -> Duration.between(stopAt, Target.arrival(r)).toMillis())
                .max(Long::compare).orElseThrow() + " ms after it at the latest");
    }

    private static boolean otherNodeHeartbeatingSince(JsonNode data, Duration atLeast) {
        for (JsonNode node : data) {
            if (node.get("this_node").booleanValue()) {
                Instant started = Instant.parse(node.get("started_at").textValue());
                return started.isBefore(Instant.now().minus(atLeast));
            }
        }
        return false;
    }
}
