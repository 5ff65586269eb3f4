package dev.cronhook.incident;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cronhook.common.DomainException;
import dev.cronhook.common.db.DbClients;
import dev.cronhook.delivery.signing.WebhookSecret;
import dev.cronhook.delivery.testing.Drafts;
import dev.cronhook.delivery.testing.MutableClock;
import dev.cronhook.delivery.testing.TestDatabase;
import dev.cronhook.delivery.testing.TestDatabaseKind;
import dev.cronhook.incident.channels.ChannelDraft;
import dev.cronhook.incident.checks.Check;
import dev.cronhook.incident.checks.CheckStatus;
import dev.cronhook.incident.checks.Flip;
import dev.cronhook.incident.checks.Ping;
import dev.cronhook.incident.checks.PingKind;
import dev.cronhook.incident.incidents.Incident;
import dev.cronhook.incident.incidents.IncidentStatus;
import io.helidon.dbclient.DbClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Heartbeat checks against a real database, through the receiver's public services, on two receivers sharing it (two
 * nodes) and one clock the test moves. One subclass per database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CheckStoreContract {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant START = Instant.parse("2026-12-01T10:00:00Z");

    private TestDatabase database;
    private DbClient db;
    private MutableClock clock;
    private TableOutbox outbox;
    private ReceiverModule node1;
    private ReceiverModule node2;
    private String builtIn;

    abstract TestDatabaseKind kind();

    @BeforeAll
    void start() {
        database = TestDatabase.create(kind());
        db = DbClients.over(database.dataSource());
        clock = new MutableClock(START);
        outbox = new TableOutbox(db);
        node1 = ReceiverModule.assemble(database.dataSource(), db, outbox, id -> { }, JSON, clock,
                ReceiverSettings.defaults());
        node2 = ReceiverModule.assemble(database.dataSource(), db, outbox, id -> { }, JSON, clock,
                ReceiverSettings.defaults());
        builtIn = node1.ensureBuiltIn(WebhookSecret.generate().value()).id();
    }

    @AfterAll
    void stop() {
        node1.close();
        node2.close();
        db.close();
        database.close();
    }

    @BeforeEach
    void clean() {
        db.execute().createDelete("DELETE FROM checks").execute();
        db.execute().createDelete("DELETE FROM alert_channels").execute();
        db.execute().createDelete("DELETE FROM incidents").execute();
        outbox.clear();
        clock.advance(Duration.ofHours(1));
        node1.channels().create(Drafts.of(ChannelDraft.class,
                "{'type': 'webhook', 'url': 'https://alerts.example.com/in'}"));
    }

    private Check create(String json) {
        return node1.checks().create(Drafts.of(CheckDraft.class, json));
    }

    private boolean ping(ReceiverModule node, Check check, PingKind kind, Integer exitCode, String body) {
        return node.checks().ping(new PingRequest(check.pingKey(), kind, exitCode, "POST", "203.0.113.7", "curl/8",
                body == null ? null : body.getBytes(UTF_8)));
    }

    private boolean ping(Check check) {
        return ping(node1, check, PingKind.SUCCESS, null, null);
    }

    private List<Incident> incidentsOf(Check check) {
        return node1.incidents().list(null, null, null, 500).data().stream()
                .filter(i -> check.id().equals(i.dedupKey())).toList();
    }

    private long alerts(String type) {
        return outbox.queued().stream().filter(q -> q.type().equals(type)).count();
    }

    /** Both nodes evaluate at the same moment, {@code rounds} times; returns how many checks they changed in all. */
    private int evaluateOnBothNodes(int rounds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            int changed = 0;
            for (int round = 0; round < rounds; round++) {
                CyclicBarrier barrier = new CyclicBarrier(2);
                List<Future<Integer>> passes = new ArrayList<>();
                for (ReceiverModule node : List.of(node1, node2)) {
                    passes.add(pool.submit(() -> {
                        barrier.await(10, TimeUnit.SECONDS);
                        return node.evaluator().runOnce();
                    }));
                }
                for (Future<Integer> pass : passes) {
                    changed += pass.get(30, TimeUnit.SECONDS);
                }
            }
            return changed;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aLateCheckGoesDownOnceOnTwoNodesOpensOneIncidentCountsEachPeriodAndASuccessResolvesIt() throws Exception {
        Check check = create("{'name': 'nightly backup', 'period_seconds': 60, 'grace_seconds': 30}");
        assertEquals(builtIn, check.integrationId(), "the built-in integration by default");
        assertTrue(ping(check));
        clock.advance(Duration.ofSeconds(89));
        assertEquals(0, evaluateOnBothNodes(1), "inside the grace");
        assertEquals(CheckStatus.GRACE, dev.cronhook.incident.checks.CheckRules.shown(
                node1.checks().get(check.id()), clock.instant()));

        clock.advance(Duration.ofSeconds(1));
        assertEquals(1, evaluateOnBothNodes(3), "one flip on two nodes");
        assertEquals(CheckStatus.DOWN, node2.checks().get(check.id()).status());
        List<Flip> flips = node1.checks().flips(check.id());
        assertEquals(List.of(CheckStatus.DOWN, CheckStatus.UP), flips.stream().map(Flip::to).toList());
        List<Incident> incidents = incidentsOf(check);
        assertEquals(1, incidents.size());
        assertEquals(builtIn, incidents.getFirst().integrationId());
        assertEquals("nightly backup is down", incidents.getFirst().title());
        assertEquals(1, alerts("incident.opened"));

        clock.advance(Duration.ofSeconds(60));
        assertEquals(1, evaluateOnBothNodes(2), "one more period down, counted once");
        assertEquals(2, incidentsOf(check).getFirst().occurrences());
        assertEquals(2, node1.checks().flips(check.id()).size(), "staying down is no flip");

        clock.advance(Duration.ofSeconds(5));
        assertTrue(ping(node2, check, PingKind.SUCCESS, 0, null));
        Incident resolved = incidentsOf(check).getFirst();
        assertEquals(IncidentStatus.RESOLVED, resolved.status());
        assertEquals("auto", resolved.resolvedBy());
        assertEquals(1, alerts("incident.resolved"));
        assertEquals(CheckStatus.UP, node1.checks().get(check.id()).status());
        assertEquals(0, evaluateOnBothNodes(1));
    }

    @Test
    void failAndNonZeroExitCodesSetDownAtOnceAndAStartThenSuccessRecordsTheDuration() {
        Check check = create("{'name': 'import', 'cron': '0 3 * * *', 'timezone': 'Europe/Berlin', "
                + "'grace_seconds': 600}");
        assertTrue(ping(node1, check, PingKind.START, null, null));
        clock.advance(Duration.ofMillis(4_250));
        assertTrue(ping(node1, check, PingKind.FAIL, 2, "disk full"));
        Check down = node1.checks().get(check.id());
        assertEquals(CheckStatus.DOWN, down.status());
        assertEquals(4_250L, down.lastDurationMs());
        assertEquals(1, incidentsOf(check).size());
        assertEquals(IncidentStatus.TRIGGERED, incidentsOf(check).getFirst().status());

        assertTrue(ping(node2, check, PingKind.FAIL, null, null));
        assertEquals(2, incidentsOf(check).getFirst().occurrences(), "a second failure groups");

        assertTrue(ping(node1, check, PingKind.START, null, null));
        clock.advance(Duration.ofSeconds(12));
        assertTrue(ping(node1, check, PingKind.SUCCESS, 0, "ok"));
        assertEquals(IncidentStatus.RESOLVED, incidentsOf(check).getFirst().status());

        List<Ping> pings = node1.checks().pings(check.id());
        assertEquals(List.of(PingKind.SUCCESS, PingKind.START, PingKind.FAIL, PingKind.FAIL, PingKind.START),
                pings.stream().map(Ping::kind).toList());
        assertEquals(12_000L, pings.getFirst().durationMs());
        assertEquals(0, pings.getFirst().exitCode());
        assertEquals("disk full", pings.get(3).body());
        assertEquals(2, pings.get(3).exitCode());
        assertEquals("203.0.113.7", pings.getFirst().remoteAddr());
    }

    @Test
    void newAndPausedChecksNeverGoDownAndAResumedOneWaitsForItsPing() throws Exception {
        Check fresh = create("{'name': 'never pinged', 'period_seconds': 60, 'grace_seconds': 60}");
        Check paused = create("{'name': 'paused', 'period_seconds': 60, 'grace_seconds': 60}");
        assertTrue(ping(paused));
        node1.checks().pause(paused.id());
        clock.advance(Duration.ofDays(2));
        assertEquals(0, evaluateOnBothNodes(1));
        assertEquals(CheckStatus.NEW, node1.checks().get(fresh.id()).status());
        assertEquals(CheckStatus.PAUSED, node1.checks().get(paused.id()).status());
        assertEquals(List.of(), incidentsOf(paused));

        assertEquals(CheckStatus.NEW, node1.checks().resume(paused.id()).status());
        assertThrows(DomainException.Conflict.class, () -> node1.checks().resume(paused.id()));
        clock.advance(Duration.ofDays(1));
        assertEquals(0, evaluateOnBothNodes(1));
        assertTrue(ping(paused));
        clock.advance(Duration.ofSeconds(120));
        assertEquals(1, evaluateOnBothNodes(1));
    }

    @Test
    void anIncidentLeftOpenIsResolvedByASuccessAfterResumeByDeleteAndByAMove() {
        Check paused = create("{'name': 'paused while down', 'period_seconds': 60}");
        assertTrue(ping(node1, paused, PingKind.FAIL, null, null));
        node1.checks().pause(paused.id());
        node1.checks().resume(paused.id());
        assertTrue(ping(paused));
        assertEquals(IncidentStatus.RESOLVED, incidentsOf(paused).getFirst().status(), "resumed, then up");

        Check deleted = create("{'name': 'deleted while down', 'period_seconds': 60}");
        assertTrue(ping(node1, deleted, PingKind.FAIL, null, null));
        node2.checks().delete(deleted.id());
        assertEquals(IncidentStatus.RESOLVED, incidentsOf(deleted).getFirst().status(), "nothing else would");
        assertThrows(DomainException.NotFound.class, () -> node1.checks().delete(deleted.id()));

        String generic = node1.integrations().create(Drafts.of(dev.cronhook.incident.integrations.IntegrationDraft.class,
                "{'name': 'elsewhere', 'type': 'generic'}")).integration().id();
        Check moved = create("{'name': 'moved while down', 'period_seconds': 60}");
        assertTrue(ping(node1, moved, PingKind.FAIL, null, null));
        node1.checks().update(moved.id(), Drafts.of(CheckDraft.class, "{'integration_id': '" + generic + "'}"));
        assertEquals(IncidentStatus.RESOLVED, incidentsOf(moved).getFirst().status(), "settled where it was");
        assertTrue(ping(node1, moved, PingKind.FAIL, null, null));
        assertEquals(generic, incidentsOf(moved).stream().filter(i -> i.status() == IncidentStatus.TRIGGERED)
                .findFirst().orElseThrow().integrationId());
    }

    @Test
    void theLastHundredPingsAreKeptWithTheFirstTenKibOfEachBody() {
        Check check = create("{'name': 'chatty', 'period_seconds': 3600}");
        String big = "x".repeat(Ping.MAX_BODY_BYTES - 1) + "é" + "y".repeat(5000);
        assertTrue(ping(node1, check, PingKind.SUCCESS, null, big));
        for (int i = 0; i < 129; i++) {
            assertTrue(ping(i % 2 == 0 ? node1 : node2, check, PingKind.SUCCESS, null, "run " + i));
        }
        List<Ping> pings = node1.checks().pings(check.id());
        assertEquals(100, pings.size());
        assertEquals(130, pings.getFirst().number());
        assertEquals(31, pings.getLast().number());
        long stored = db.execute().createGet("SELECT COUNT(*) AS n FROM check_pings WHERE check_id = :id")
                .addParam("id", check.id()).execute().orElseThrow().column("n").getLong();
        assertTrue(stored <= 120, "pruned as they come: " + stored);
        assertEquals(130, node1.checks().get(check.id()).pings());

        clock.advance(Duration.ofDays(31));
        assertTrue(ping(check));
        Instant cutoff = clock.instant().minus(Duration.ofDays(30));
        assertEquals(50 + 1, node1.checks().deleteHistoryBefore(cutoff, 50), "its limit of pings, and the old flip");
        node1.checks().deleteHistoryBefore(cutoff, 1000);
        assertEquals(List.of(131L), node1.checks().pings(check.id()).stream().map(Ping::number).toList());
        assertEquals(0, node1.checks().deleteHistoryBefore(cutoff, 1000));

        Check another = create("{'name': 'big body', 'period_seconds': 3600}");
        assertTrue(ping(node1, another, PingKind.SUCCESS, null, big));
        String kept = node1.checks().pings(another.id()).getFirst().body();
        assertTrue(kept.startsWith("x".repeat(Ping.MAX_BODY_BYTES - 1)));
        assertTrue(kept.getBytes(UTF_8).length <= Ping.MAX_BODY_BYTES + 2, "" + kept.length());
        assertFalse(kept.contains("y"));
    }

    @Test
    void aCheckAlertsInTheIntegrationItNamesAndChecksDueTogetherGoDownInBatches() throws Exception {
        String generic = node1.integrations().create(Drafts.of(dev.cronhook.incident.integrations.IntegrationDraft.class,
                "{'name': 'ops', 'type': 'generic'}")).integration().id();
        List<Check> checks = new ArrayList<>();
        for (int i = 0; i < CheckEvaluator.BATCH + 20; i++) {
            checks.add(create("{'name': 'host " + i + "', 'period_seconds': 60, 'grace_seconds': 10, "
                    + "'integration_id': '" + generic + "'}"));
        }
        for (Check check : checks) {
            assertTrue(ping(check));
        }
        clock.advance(Duration.ofSeconds(70));
        assertEquals(checks.size(), evaluateOnBothNodes(1));
        assertEquals(checks.size(), node1.incidents().list("open", generic, null, 1000).data().size());
        assertNull(node1.incidents().list("open", builtIn, null, 10).data().stream().findAny().orElse(null));
    }

    @Test
    void unknownPingKeysAndBadDefinitionsAreRefused() {
        assertFalse(node1.checks().ping(new PingRequest("6f1c8a0e-0000-4000-8000-000000000001", PingKind.SUCCESS,
                null, "GET", null, null, null)));
        assertFalse(node1.checks().ping(new PingRequest("not-a-uuid", PingKind.SUCCESS, null, "GET", null, null,
                null)));
        DomainException.Invalid invalid = assertThrows(DomainException.Invalid.class, () -> create(
                "{'name': 'x', 'period_seconds': 0, 'grace_seconds': 31536001, 'integration_id': 'int_nope'}"));
        assertEquals(List.of("period_seconds", "grace_seconds", "integration_id"),
                invalid.errors().stream().map(e -> e.field()).toList());
        invalid = assertThrows(DomainException.Invalid.class, () -> create(
                "{'name': 'x', 'cron': '0 25 * * *', 'timezone': 'Europe/Berlin'}"));
        assertEquals("cron", invalid.errors().getFirst().field());
        String everyOne = java.util.stream.IntStream.range(0, 60).mapToObj(Integer::toString)
                .collect(java.util.stream.Collectors.joining(","));
        invalid = assertThrows(DomainException.Invalid.class, () -> create("{'name': 'x', 'cron': '" + everyOne + " "
                + everyOne + " * * * *'}"));
        assertEquals("cron", invalid.errors().getFirst().field(), "longer than the column: a 422, not a 500");
        Check check = create("{'name': 'x', 'cron': '0 3 * * *'}");
        invalid = assertThrows(DomainException.Invalid.class, () -> node1.checks().update(check.id(),
                Drafts.of(CheckDraft.class, "{'period_seconds': 60, 'cron': '* * * * *'}")));
        assertEquals("cron", invalid.errors().getFirst().field());
        assertEquals("UTC", ((dev.cronhook.incident.checks.CheckSchedule.Cron) node1.checks().get(check.id())
                .schedule()).cron().zone().getId());
    }
}
