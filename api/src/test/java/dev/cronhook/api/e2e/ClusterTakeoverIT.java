package dev.cronhook.api.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Three packaged servers on one PostgreSQL; 1,000 one-time jobs due over 10 s against a target that takes 1 s, and
 * cron jobs every second. One node that holds runs is killed (SIGKILL) mid-burst: the others declare it dead and take
 * its runs over, with the same execution and attempt, within 15 s of the kill.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ClusterTakeoverIT {
    private static final String ADMIN_KEY = "chk_e2e_" + UUID.randomUUID().toString().replace("-", "");
    private static final int ONE_TIME_JOBS = 1000;
    private static final Duration BURST = Duration.ofSeconds(10);
    private static final int CRON_JOBS = 5;
    private static final Duration TAKEOVER_BOUND = Duration.ofSeconds(15);

    private OnPostgres postgres;
    private Target target;
    private final List<ServerProcess> nodes = new ArrayList<>();

    @BeforeAll
    void start() {
        postgres = new OnPostgres();
        target = new Target(300);
        target.stub(any(urlPathEqualTo("/slow")).willReturn(aResponse().withStatus(200).withBody("ok")
                .withFixedDelay(1000)));
        for (String name : List.of("node-a", "node-b", "node-c")) {
            nodes.add(postgres.start(name, ADMIN_KEY));
        }
    }

    @AfterAll
    void stop() {
        try (var closeTarget = target; var closeDatabase = postgres) {
            // the servers and the schema first, then the target
        }
    }

    @Test
    void aKilledNodesRunsAreTakenOverWithinFifteenSecondsAndNothingIsLost() {
        Api api = new Api(nodes.getFirst(), ADMIN_KEY);
        JsonNode listed = api.get("/v1/nodes").expect(200).get("data");
        assertEquals(3, listed.size(), "three nodes heartbeat: " + listed);
        listed.forEach(node -> assertEquals("alive", node.get("state").textValue()));

        for (int i = 0; i < CRON_JOBS; i++) {
            ObjectNode cron = Api.object().put("name", "every-second-" + i).put("url", target.url("/slow"))
                    .put("cron", "* * * * * *");
            api.createJob(cron);
        }
        Instant t0 = Instant.now().plusSeconds(25).truncatedTo(ChronoUnit.SECONDS);
        for (int i = 0; i < ONE_TIME_JOBS; i++) {
            Instant runAt = t0.plusMillis(BURST.toMillis() * i / ONE_TIME_JOBS);
            api.createJob(Api.object().put("name", "burst-" + i).put("url", target.url("/slow"))
                    .put("run_at", runAt.toString()));
        }
        assertTrue(Instant.now().isBefore(t0.minusSeconds(2)), "the jobs were created before the burst");

        // Mid-burst, kill a node (not the one the test talks to) that holds runs.
        Poll.sleepUntil(t0.plusSeconds(4));
        JsonNode victim = Poll.until("a node other than the first holding runs", Duration.ofSeconds(3),
                () -> api.get("/v1/nodes").expect(200).get("data"),
                data -> pickVictim(data, nodes.getFirst().port()) != null);
        victim = pickVictim(victim, nodes.getFirst().port());
        String deadNodeId = victim.get("id").textValue();
        ServerProcess dying = processOf(victim);
        dying.kill();
        Instant killedAt = Instant.now();

        Set<String> jobsSeen = Poll.until("every one-time job at the target", Duration.ofSeconds(60),
                () -> oneTimeJobsArrived(), seen -> seen.size() == ONE_TIME_JOBS);
        assertEquals(ONE_TIME_JOBS, jobsSeen.size());
        Poll.until("the dead node declared dead", Duration.ofSeconds(5),
                () -> api.get("/v1/nodes").expect(200).get("data"),
                data -> stateOf(data, deadNodeId).equals("dead"));

        // Every execution due before the kill is finished, none later than 15 s after the kill.
        List<JsonNode> executions = Poll.until("every execution of the burst recorded", Duration.ofSeconds(30),
                () -> allExecutions(api), all -> all.stream().noneMatch(e -> e.get("status").textValue().equals("running")
                        && Instant.parse(e.get("scheduled_for").textValue()).isBefore(t0.plus(BURST))));
        Duration latestTakeover = Duration.ZERO;
        int oneTime = 0;
        for (JsonNode execution : executions) {
            JsonNode attempts = execution.get("attempts");
            Instant scheduledFor = Instant.parse(execution.get("scheduled_for").textValue());
            if (execution.get("trigger").textValue().equals("schedule") && !scheduledFor.isBefore(t0)
                    && scheduledFor.isBefore(t0.plus(BURST)) && !attempts.isEmpty()) {
                oneTime++;
            }
            if (!scheduledFor.isBefore(killedAt)) {
                continue;
            }
            Instant finished = Instant.parse(attempts.get(attempts.size() - 1).get("finished_at").textValue());
            Duration afterKill = Duration.between(killedAt, finished);
            if (afterKill.compareTo(latestTakeover) > 0) {
                latestTakeover = afterKill;
            }
            assertTrue(afterKill.compareTo(TAKEOVER_BOUND) <= 0, "execution " + execution.get("id") + " due before "
                    + "the kill finished " + afterKill + " after it");
            assertTrue(!attempts.get(attempts.size() - 1).get("node_id").textValue().equals(deadNodeId)
                    || finished.isBefore(killedAt), "an attempt finished after the kill was made by a live node");
        }
        System.out.println("takeover: the last run due before the kill finished " + latestTakeover.toMillis()
                + " ms after it (dead node " + deadNodeId + ")");
        assertTrue(oneTime >= ONE_TIME_JOBS, "every one-time job has a recorded execution in the burst: " + oneTime);

        List<LoggedRequest> requests = target.requests("/slow");
        // Each (job, scheduled time) has one execution, on any number of nodes.
        Map<String, Set<String>> executionsPerSlot = new HashMap<>();
        for (LoggedRequest request : requests) {
            executionsPerSlot.computeIfAbsent(request.getHeader("X-Cronhook-Job-Id") + "@"
                    + request.getHeader("X-Cronhook-Scheduled-For"), k -> new HashSet<>())
                    .add(request.getHeader("X-Cronhook-Execution-Id"));
        }
        executionsPerSlot.forEach((slot, ids) -> assertEquals(1, ids.size(), slot + " has one execution: " + ids));

        // Only what the dead node had in flight at the kill is sent twice, as the same execution and attempt.
        Map<String, List<LoggedRequest>> perAttempt = requests.stream().collect(Collectors.groupingBy(
                r -> r.getHeader("X-Cronhook-Execution-Id") + "#" + r.getHeader("X-Cronhook-Attempt")));
        int doubled = 0;
        for (List<LoggedRequest> sends : perAttempt.values()) {
            if (sends.size() > 1) {
                doubled++;
                List<Instant> arrivals = sends.stream().map(Target::arrival).sorted().toList();
                assertEquals(2, sends.size(), "at most one second send: " + arrivals);
                assertTrue(arrivals.get(0).isBefore(killedAt)
                                && arrivals.get(0).isAfter(killedAt.minusSeconds(3)),
                        "the first send was in flight when the node was killed at " + killedAt + ": " + arrivals);
                assertTrue(arrivals.get(1).isAfter(killedAt), "the second after the kill: " + arrivals);
            }
            sends.forEach(r -> assertEquals("1", r.getHeader("X-Cronhook-Attempt"), "no attempt failed"));
        }
        System.out.println("takeover: " + doubled + " attempts were in flight on the dead node and sent again");

        // The cron jobs fired every second through the kill: no second missing between t0 and the end of the burst.
        Map<String, TreeSet<Instant>> cronSlots = new HashMap<>();
        for (LoggedRequest request : requests) {
            Instant slot = Instant.parse(request.getHeader("X-Cronhook-Scheduled-For"));
            if (slot.getNano() == 0 && !slot.isBefore(t0) && slot.isBefore(t0.plus(BURST))) {
                cronSlots.computeIfAbsent(request.getHeader("X-Cronhook-Job-Id"), k -> new TreeSet<>()).add(slot);
            }
        }
        Set<String> cronJobs = cronSlots.keySet().stream()
                .filter(job -> cronSlots.get(job).size() > 1).collect(Collectors.toSet());
        assertEquals(CRON_JOBS, cronJobs.size(), "every cron job fired in the burst");
        for (String job : cronJobs) {
            TreeSet<Instant> slots = cronSlots.get(job);
            for (Instant second = t0; second.isBefore(t0.plus(BURST)); second = second.plusSeconds(1)) {
                if (!slots.contains(second)) {
                    // A one-time job due on a whole second may share it; only cron jobs fire every second.
                    assertTrue(false, "cron job " + job + " missed " + second + "; had " + slots);
                }
            }
        }
    }

    private Set<String> oneTimeJobsArrived() {
        return target.requests("/slow").stream()
                .filter(r -> r.getHeader("X-Cronhook-Job-Id") != null)
                .map(r -> r.getHeader("X-Cronhook-Job-Id"))
                .collect(Collectors.toCollection(HashSet::new))
                .stream().filter(id -> !cronJobIds().contains(id)).collect(Collectors.toSet());
    }

    private Set<String> cronJobIds;

    private Set<String> cronJobIds() {
        if (cronJobIds == null) {
            Api api = new Api(nodes.getFirst(), ADMIN_KEY);
            JsonNode page = api.get("/v1/jobs?type=cron&limit=500").expect(200);
            Set<String> ids = new HashSet<>();
            page.get("data").forEach(job -> ids.add(job.get("id").textValue()));
            cronJobIds = ids;
        }
        return cronJobIds;
    }

    private static JsonNode pickVictim(JsonNode data, int spare) {
        List<JsonNode> candidates = new ArrayList<>();
        data.forEach(node -> {
            if (!node.get("host").textValue().endsWith(":" + spare) && node.get("runs_in_hand").intValue() > 0
                    && node.get("state").textValue().equals("alive")) {
                candidates.add(node);
            }
        });
        return candidates.stream().max(Comparator.comparingInt(n -> n.get("runs_in_hand").intValue())).orElse(null);
    }

    private ServerProcess processOf(JsonNode node) {
        String host = node.get("host").textValue();
        return nodes.stream().filter(p -> host.endsWith(":" + p.port())).findFirst().orElseThrow();
    }

    private static String stateOf(JsonNode data, String nodeId) {
        for (JsonNode node : data) {
            if (node.get("id").textValue().equals(nodeId)) {
                return node.get("state").textValue();
            }
        }
        return "missing";
    }

    private static List<JsonNode> allExecutions(Api api) {
        List<JsonNode> all = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = api.get("/v1/executions?limit=500" + (cursor == null ? "" : "&cursor=" + cursor)).expect(200);
            page.get("data").forEach(all::add);
            cursor = page.path("next_cursor").isTextual() ? page.get("next_cursor").textValue() : null;
        } while (cursor != null);
        return all;
    }
}
