package dev.cronhook.api.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The packaged server on PostgreSQL through a TCP proxy that the test cuts for 20 s: health says so within 2 s, API
 * calls answer 503 within the database wait, and once the database is back the server recovers by itself: the
 * one-time runs due meanwhile are sent once each, and each cron job catches up once, not once per missed second.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DatabaseAwayIT {
    private static final String ADMIN_KEY = "chk_e2e_" + UUID.randomUUID().toString().replace("-", "");
    private static final Duration OUTAGE = Duration.ofSeconds(20);
    private static final Duration DB_WAIT = Duration.ofSeconds(5);

    private OnPostgres postgres;
    private TcpProxy proxy;
    private Target target;
    private ServerProcess server;

    @BeforeAll
    void start() {
        postgres = new OnPostgres();
        String jdbcUrl = postgres.database().jdbcUrl();
        URI direct = URI.create(jdbcUrl.substring("jdbc:".length()));
        proxy = new TcpProxy(direct.getHost(), direct.getPort());
        String throughProxy = jdbcUrl.replace(direct.getHost() + ":" + direct.getPort(), "127.0.0.1:" + proxy.port());
        target = new Target();
        server = postgres.start("db-away", ADMIN_KEY, Map.of("CRONHOOK_DB_URL", throughProxy));
    }

    @AfterAll
    void stop() {
        try (var closeProxy = proxy; var closeTarget = target; var closeDatabase = postgres) {
            // the server and the schema first, the proxy last
        }
    }

    @Test
    void healthAndApiAnswerQuicklyWhileTheDatabaseIsAwayAndNothingIsLostOrDoubledAfter() {
        Api api = new Api(server, ADMIN_KEY);
        List<String> cronJobs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            cronJobs.add(api.createJob(Api.object().put("name", "every-second-" + i).put("url", target.url("/cron"))
                    .put("cron", "* * * * * *")).get("id").textValue());
        }
        Instant cutAt = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.SECONDS);
        List<String> oneTime = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            // Due from 1 s before the cut to 15 s into the outage.
            Instant runAt = cutAt.minusSeconds(1).plusMillis(800L * i);
            oneTime.add(api.createJob(Api.object().put("name", "once-" + i).put("url", target.url("/once"))
                    .put("run_at", runAt.toString())).get("id").textValue());
        }

        Poll.sleepUntil(cutAt);
        proxy.cut();
        Instant cut = Instant.now();

        Api.Reply health = timed(() -> api.get("/observe/health"), Duration.ofSeconds(2), "health while the database is away");
        Poll.until("health reports the database down", Duration.ofSeconds(4), () -> api.get("/observe/health"),
                reply -> reply.status() == 503);
        health = api.get("/observe/health");
        assertEquals(503, health.status(), health.toString());
        JsonNode checks = health.json().get("checks");
        assertEquals("DOWN", check(checks, "database"), health.body());

        Api.Reply list = timed(() -> api.get("/v1/jobs"), DB_WAIT.plusSeconds(2), "an API call while the database is away");
        assertEquals(503, list.status(), list.toString());
        assertEquals("application/problem+json", list.contentType());
        assertTrue(list.json().get("detail").textValue().contains("database"), list.body());
        Api.Reply create = timed(() -> api.post("/v1/jobs", Api.object().put("name", "x").put("url", target.url("/x"))
                .put("cron", "0 0 1 1 *")), DB_WAIT.plusSeconds(2), "a create while the database is away");
        assertEquals(503, create.status(), create.toString());

        Poll.sleepUntil(cut.plus(OUTAGE));
        proxy.restore();
        Instant back = Instant.now();
        Poll.until("healthy again", Duration.ofSeconds(20), () -> api.get("/observe/health"), reply -> reply.status() == 200);
        System.out.println("database away: healthy again " + Duration.between(back, Instant.now()).toMillis()
                + " ms after it came back");

        // Every one-time job arrives exactly once.
        Poll.until("every one-time job sent", Duration.ofSeconds(30), () -> target.requests("/once"),
                sent -> sent.stream().map(r -> r.getHeader("X-Cronhook-Job-Id")).distinct().count() == oneTime.size());
        ServerProcess.sleep(2000);
        Map<String, Long> perJob = target.requests("/once").stream()
                .collect(Collectors.groupingBy(r -> r.getHeader("X-Cronhook-Job-Id"), Collectors.counting()));
        assertEquals(oneTime.size(), perJob.size());
        perJob.forEach((job, count) -> assertEquals(1L, count, job + " sent once"));

        // Each cron job: one catch_up run for the seconds missed while the database was away, not one per second.
        Map<String, List<LoggedRequest>> cronSends = target.requests("/cron").stream()
                .collect(Collectors.groupingBy(r -> r.getHeader("X-Cronhook-Job-Id")));
        for (String job : cronJobs) {
            List<JsonNode> executions = api.executionsOf(job);
            long catchUps = executions.stream().filter(e -> e.get("trigger").textValue().equals("catch_up")).count();
            long inOutage = executions.stream().filter(e -> {
                Instant at = Instant.parse(e.get("scheduled_for").textValue());
                return at.isAfter(cut.plusSeconds(3)) && at.isBefore(back.minusSeconds(3));
            }).count();
            String seen = executions.stream().map(e -> e.get("scheduled_for").textValue() + " "
                    + e.get("trigger").textValue()).sorted().toList() + " cut " + cut + " back " + back;
            assertEquals(1, catchUps, job + ": one catch-up run; " + seen);
            assertTrue(inOutage <= 1, job + ": " + inOutage + " runs for the seconds the database was away; " + seen);
            Map<String, Long> perSlot = cronSends.getOrDefault(job, List.of()).stream().collect(Collectors.groupingBy(
                    r -> r.getHeader("X-Cronhook-Scheduled-For"), HashMap::new, Collectors.counting()));
            perSlot.forEach((slot, count) -> assertEquals(1L, count, job + " at " + slot + " sent once"));
        }
    }

    private static String check(JsonNode checks, String name) {
        for (JsonNode check : checks) {
            if (check.get("name").textValue().equals(name)) {
                return check.get("status").textValue();
            }
        }
        return "missing";
    }

    private static Api.Reply timed(java.util.function.Supplier<Api.Reply> call, Duration bound, String what) {
        Instant start = Instant.now();
        Api.Reply reply = call.get();
        Duration took = Duration.between(start, Instant.now());
        assertTrue(took.compareTo(bound) <= 0, what + " answered in " + took + ", more than " + bound);
        return reply;
    }
}
