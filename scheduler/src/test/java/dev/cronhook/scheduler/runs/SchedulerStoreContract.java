package dev.cronhook.scheduler.runs;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.cronhook.common.DomainException;
import dev.cronhook.common.FieldError;
import dev.cronhook.common.Page;
import dev.cronhook.common.PrefixedIds;
import dev.cronhook.common.db.DbClients;
import dev.cronhook.common.db.Rows;
import dev.cronhook.common.db.Transactions;
import dev.cronhook.delivery.attempts.AttemptResult;
import dev.cronhook.delivery.attempts.Outcome;
import dev.cronhook.delivery.attempts.StoredAttempt;
import dev.cronhook.delivery.cluster.NodeHeartbeat;
import dev.cronhook.delivery.cluster.NodeState;
import dev.cronhook.delivery.http.HttpSender;
import dev.cronhook.delivery.outbox.DeliveryModule;
import dev.cronhook.delivery.outbox.DeliverySettings;
import dev.cronhook.delivery.signing.WebhookSecret;
import dev.cronhook.delivery.testing.Drafts;
import dev.cronhook.delivery.testing.MutableClock;
import dev.cronhook.delivery.testing.TestDatabase;
import dev.cronhook.delivery.testing.TestDatabaseKind;
import dev.cronhook.scheduler.SchedulerModule;
import dev.cronhook.scheduler.jobs.Concurrency;
import dev.cronhook.scheduler.jobs.Jitter;
import dev.cronhook.scheduler.jobs.Job;
import dev.cronhook.scheduler.jobs.JobBody;
import dev.cronhook.scheduler.jobs.JobDraft;
import dev.cronhook.scheduler.jobs.JobRepository;
import dev.cronhook.scheduler.jobs.JobService;
import dev.cronhook.scheduler.jobs.JobType;
import dev.cronhook.scheduler.jobs.OnceStatus;
import dev.cronhook.scheduler.jobs.Schedules;
import dev.cronhook.scheduler.jobs.SigningSecrets;
import dev.cronhook.scheduler.jobs.UrlGuard;
import dev.cronhook.scheduler.notify.JobNotifications;
import dev.cronhook.scheduler.notify.WebhookRepository;
import io.helidon.dbclient.DbClient;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The scheduler against a real database, through the public {@link JobService} of a started {@link SchedulerModule}
 * (migrations, Quartz, engine) and a WireMock target. Where a second node is needed, the test builds one from the
 * module's own parts over the same database. One subclass per database; every test leaves no job behind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SchedulerStoreContract {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Far enough that the running module never claims it during a test. */
    private static final String YEARLY = "0 0 1 1 *";
    /** Every retry delay of the module under test: short, so six attempts fit in a test. */
    private static final Duration RETRY_DELAY = Duration.ofMillis(700);
    /** Where callback URLs point: nothing listens there, the tests call the callback service themselves. */
    private static final java.net.URI PUBLIC_URL = java.net.URI.create("https://cronhook.example/");

    private TestDatabase database;
    private boolean postgres;
    private DbClient db;
    private WireMockServer target;
    private HttpSender sender;
    private SchedulerSettings settings;
    private DeliveryModule deliveries;
    private NodeHeartbeat heartbeat;
    private SchedulerModule module;
    private JobService jobs;
    private ExecutionService executionService;

    /** The database this subclass runs on; PostgreSQL that cannot be reached fails the class, never skips it. */
    abstract TestDatabaseKind kind();

    @BeforeAll
    void startModule() {
        database = TestDatabase.create(kind());
        postgres = database.kind() == TestDatabaseKind.POSTGRES;
        db = DbClients.over(database.dataSource());
        target = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        target.start();
        target.stubFor(any(urlPathMatching("/ok/.*")).willReturn(aResponse().withStatus(200).withBody("fine")));
        target.stubFor(any(urlPathMatching("/fail/.*")).willReturn(aResponse().withStatus(500).withBody("boom")));
        target.stubFor(any(urlPathMatching("/reject/.*")).willReturn(aResponse().withStatus(404).withBody("no such")));
        target.stubFor(any(urlPathMatching("/slow/.*"))
                .willReturn(aResponse().withStatus(200).withFixedDelay(1500).withBody("late")));
        sender = new HttpSender(Clock.systemUTC(), "Cronhook/test");
        settings = SchedulerSettings.defaults(postgres)
                .withSchedulerName(getClass().getSimpleName() + "-" + UUID.randomUUID())
                .withRetries(new RetryPolicy(Collections.nCopies(5, RETRY_DELAY)))
                .withPublicUrl(PUBLIC_URL);
        // Short beats and timeout: the fencing test waits for a beat, takeovers for a timeout of beats.
        heartbeat = new NodeHeartbeat(db, Clock.systemUTC(), "test",
                NodeHeartbeat.Settings.defaults(postgres).withInterval(Duration.ofMillis(200))
                        .withTimeout(Duration.ofSeconds(1)));
        deliveries = DeliveryModule.create(database.dataSource(), db, sender, Clock.systemUTC(),
                DeliverySettings.defaults(), heartbeat);
        heartbeat.start();
        module = SchedulerModule.start(database.dataSource(), db, sender, JSON, Clock.systemUTC(), settings, deliveries,
                UrlGuard.ALLOW_ALL, heartbeat, new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        deliveries.start();
        jobs = module.jobs();
        executionService = module.executions();
        assertTrue(module.running(), "the Quartz ticker runs");
    }

    @AfterEach
    void deleteEveryJob() {
        for (Job job : allJobs(null, null)) {
            try {
                jobs.delete(job.id());
            } catch (DomainException.NotFound e) {
                // gone already
            }
        }
        target.resetRequests();
    }

    @AfterAll
    void stopModule() {
        try (var closeDatabase = database) {
            if (module != null) {
                module.close();
            }
            if (deliveries != null) {
                deliveries.close();
            }
            if (heartbeat != null) {
                heartbeat.close();
            }
            if (sender != null) {
                sender.close();
            }
            if (target != null) {
                target.stop();
            }
            if (db != null) {
                db.close();
            }
        }
    }

    // ----------------------------------------------------------------------------------------------------------------
    // create, get, list

    @Test
    void createGetAndListWithCursorsAndFilters() {
        Instant before = Instant.now();
        String url = url("/ok/list");
        Instant runAt = before.plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
        Job c1 = create("{'name': 'c1', 'url': '" + url + "', 'cron': '" + YEARLY + "', 'headers': {'X-A': 'a'}, "
                + "'body': {'k': [1, 2]}, 'timezone': 'Europe/Berlin', 'method': 'put', 'timeout_seconds': 7}");
        Job c2 = create("{'name': 'c2', 'url': '" + url + "', 'cron': '" + YEARLY + "'}");
        Job c3 = create("{'name': 'c3', 'url': '" + url + "', 'cron': '" + YEARLY + "', 'enabled': false}");
        Job o1 = create("{'name': 'o1', 'url': '" + url + "', 'run_at': '" + runAt + "'}");
        Job o2 = create("{'name': 'o2', 'url': '" + url + "', 'run_at': '" + runAt + "', 'enabled': false}");
        Instant after = Instant.now();

        assertTrue(PrefixedIds.looksLike("job", c1.id()), c1.id());
        assertEquals(JobType.CRON, c1.type());
        assertNull(c1.status(), "cron jobs have no status");
        assertEquals(ZonedDateTime.now(ZoneId.of("Europe/Berlin")).withDayOfYear(1).plusYears(1)
                .toLocalDate().atStartOfDay(ZoneId.of("Europe/Berlin")).toInstant(), c1.nextRunAt());
        assertNull(c3.nextRunAt(), "a disabled job plans nothing");
        assertEquals(JobType.ONCE, o1.type());
        assertEquals(OnceStatus.SCHEDULED, o1.status());
        assertEquals(runAt, o1.nextRunAt());
        assertEquals(OnceStatus.SCHEDULED, o2.status());
        assertNull(o2.nextRunAt());
        assertTrue(c1.secrets().current().value().matches("whsec_[A-Za-z0-9+/]{43}="), "secret shape");
        assertNotEquals(c1.secrets().current(), c2.secrets().current());
        assertFalse(c1.createdAt().isBefore(before.truncatedTo(ChronoUnit.MILLIS)));
        assertFalse(c1.createdAt().isAfter(after));

        for (Job created : List.of(c1, c2, c3, o1, o2)) {
            Job stored = jobs.get(created.id());
            assertEquals(created.definition(), stored.definition(), created.id());
            assertEquals(created.status(), stored.status());
            assertEquals(created.nextRunAt(), stored.nextRunAt());
            assertEquals(created.secrets().current(), stored.secrets().current());
            assertNull(stored.secrets().previous());
            assertTrue(Duration.between(created.createdAt(), stored.createdAt()).abs().toMillis() < 1,
                    "created_at survives the round trip");
        }
        assertEquals(Map.of("X-A", "a"), jobs.get(c1.id()).definition().headers());
        assertEquals(new JobBody("{\"k\":[1,2]}", true), jobs.get(c1.id()).definition().body());

        // Cursor paging: 5 jobs, 2 per page, 3 pages, each job once, no cursor after the last page.
        List<String> seen = new ArrayList<>();
        String cursor = null;
        List<Integer> sizes = new ArrayList<>();
        do {
            Page<Job> page = jobs.list(null, null, null, cursor, 2);
            sizes.add(page.data().size());
            page.data().forEach(job -> seen.add(job.id()));
            cursor = page.nextCursor();
            assertTrue(sizes.size() <= 3, "more than 3 pages");
        } while (cursor != null);
        assertEquals(List.of(2, 2, 1), sizes);
        assertEquals(5, new HashSet<>(seen).size(), "no duplicates: " + seen);
        assertEquals(ids(c1, c2, c3, o1, o2), new HashSet<>(seen));

        // A page that ends exactly at the last job has no cursor (no empty trailing page).
        Page<Job> exact = jobs.list(JobType.CRON, null, null, null, 3);
        assertEquals(3, exact.data().size());
        assertNull(exact.nextCursor());

        assertEquals(ids(c1, c2, c3), ids(allJobs(JobType.CRON, null)));
        assertEquals(ids(o1, o2), ids(allJobs(JobType.ONCE, null)));
        assertEquals(ids(c1, c2, o1), ids(allJobs(null, true)));
        assertEquals(ids(c3, o2), ids(allJobs(null, false)));
        // ?q= finds a part of the name in any case; LIKE's own characters are plain characters.
        assertEquals(ids(c1, c2, c3), ids(jobs.list(null, null, "C", null, 10).data()));
        assertEquals(ids(o2), ids(jobs.list(null, false, "o", null, 10).data()));
        assertEquals(List.of(), jobs.list(null, null, "c_", null, 10).data());
        assertEquals(List.of(), jobs.list(null, null, "%", null, 10).data());
        assertEquals(ids(c3), ids(allJobs(JobType.CRON, false)));
        assertEquals(ids(o1), ids(allJobs(JobType.ONCE, true)));

        assertThrows(DomainException.NotFound.class, () -> jobs.get("job_00000000000000000000000000"));
        assertThrows(DomainException.NotFound.class, () -> jobs.delete("job_00000000000000000000000000"));
    }

    @Test
    void invalidJobIsRefusedAndNothingStored() {
        DomainException.Invalid e = assertThrows(DomainException.Invalid.class,
                () -> create("{'name': '', 'url': 'ftp://x', 'cron': '* * *'}"));
        assertEquals(Set.of("name", "url", "cron"),
                e.errors().stream().map(FieldError::field).collect(Collectors.toSet()));
        assertEquals(List.of(), allJobs(null, null));
    }

    // ----------------------------------------------------------------------------------------------------------------
    // firing

    @Test
    void everySecondCronFiresOncePerScheduledTime() {
        String path = "/ok/every-second-" + UUID.randomUUID();
        Job job = create("{'name': 'tick', 'url': '" + url(path) + "', 'cron': '* * * * * *', 'body': {'n': 1}}");
        await("two finished runs", Duration.ofSeconds(8), () -> finished(job.id()).size() >= 2);
        jobs.pause(job.id(), null);
        awaitNoneRunning(job.id());

        List<Execution> runs = executionsOf(job.id());
        assertTrue(runs.size() >= 2, "runs: " + runs);
        assertEquals(runs.size(), runs.stream().map(Execution::scheduledFor).distinct().count(),
                "one execution per scheduled time: " + runs);
        for (Execution run : runs) {
            assertEquals(RunTrigger.SCHEDULE, run.trigger());
            assertEquals(ExecutionStatus.SUCCEEDED, run.status(), run.toString());
            assertEquals(0, run.scheduledFor().getNano(), "every-second slots: " + run.scheduledFor());
            assertEquals(1, run.attempts().size(), run.toString());
            StoredAttempt attempt = run.attempts().getFirst();
            assertEquals(1, attempt.number());
            assertEquals("success", attempt.outcome());
            assertEquals(200, attempt.statusCode());
            assertEquals("fine", attempt.responseBody());
            assertFalse(attempt.startedAt().isBefore(run.scheduledFor()), "never early: " + run);
        }

        List<LoggedRequest> received = requests(path);
        assertEquals(runs.size(), received.size(), "one request per execution");
        assertEquals(runs.stream().map(Execution::id).collect(Collectors.toSet()),
                received.stream().map(r -> r.getHeader("X-Cronhook-Execution-Id")).collect(Collectors.toSet()));
        for (LoggedRequest request : received) {
            Instant scheduledFor = Instant.parse(request.getHeader("X-Cronhook-Scheduled-For"));
            assertFalse(request.getLoggedDate().toInstant().isBefore(scheduledFor), "arrived early");
            assertEquals("POST", request.getMethod().getName());
            assertEquals(job.id(), request.getHeader("X-Cronhook-Job-Id"));
            assertEquals("1", request.getHeader("X-Cronhook-Attempt"));
            assertEquals("Cronhook/test", request.getHeader("User-Agent"));
            assertEquals("application/json", request.getHeader("Content-Type"));
            assertEquals("{\"n\":1}", new String(request.getBody(), UTF_8));
            assertEquals(hexSignature(job.secrets().current(), request.getBody()),
                    request.getHeader("X-Cronhook-Signature"));
            assertEquals(standardSignature(job.secrets().current(), request), request.getHeader("webhook-signature"));
        }
    }

    /**
     * Two nodes claim the same 200 due jobs at the same moment: every job is claimed by exactly one of them, and
     * the executions table holds exactly one row per job. The nodes' clocks run ahead of the module's, so its own
     * engine (a third node) leaves these jobs alone.
     */
    @Test
    void twoNodesClaimEveryDueRunExactlyOnce() throws Exception {
        Instant now = Instant.now();
        Instant runAt = now.plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
        Instant newYear = ZonedDateTime.now(ZoneOffset.UTC).withDayOfYear(1).plusYears(1).toLocalDate()
                .atStartOfDay(ZoneOffset.UTC).toInstant();
        Set<String> created = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            created.add(create("{'name': 'once-" + i + "', 'url': '" + url("/ok/race") + "', 'run_at': '" + runAt
                    + "'}").id());
            created.add(create("{'name': 'cron-" + i + "', 'url': '" + url("/ok/race") + "', 'cron': '" + YEARLY
                    + "'}").id());
        }
        Instant nodeTime = (runAt.isAfter(newYear) ? runAt : newYear).plusSeconds(1);
        // Small batches: many short transactions that interleave.
        SchedulerSettings small = settings(7, Duration.ofSeconds(60));
        // Nodes need not plan the claim query alike (statistics change under them): node A scans without indexes,
        // node B with them, so rows that tie on their time come back in different orders unless the query orders
        // them totally; two claimers locking in different orders deadlock.
        HikariDataSource nodeAPool = nodePool("node-a", true);
        HikariDataSource nodeBPool = nodePool("node-b", false);
        DbClient nodeAClient = DbClients.over(nodeAPool);
        DbClient nodeBClient = DbClients.over(nodeBPool);
        RunClaimer nodeA = claimer(nodeAClient, Clock.fixed(nodeTime, ZoneOffset.UTC), small);
        RunClaimer nodeB = claimer(nodeBClient, Clock.fixed(nodeTime, ZoneOffset.UTC), small);

        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        List<ClaimedRun> claimed = new ArrayList<>();
        try {
            Future<List<ClaimedRun>> a = threads.submit(() -> {
                start.await();
                return nodeA.claimDue();
            });
            Future<List<ClaimedRun>> b = threads.submit(() -> {
                start.await();
                return nodeB.claimDue();
            });
            claimed.addAll(a.get(60, TimeUnit.SECONDS));
            claimed.addAll(b.get(60, TimeUnit.SECONDS));
        } finally {
            threads.shutdownNow();
        }

        Map<String, Long> perJob = claimed.stream()
                .collect(Collectors.groupingBy(run -> run.job().id(), Collectors.counting()));
        assertEquals(created, perJob.keySet(), "every job claimed");
        assertEquals(Map.of(), perJob.entrySet().stream().filter(e -> e.getValue() != 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)), "claimed more than once");
        assertEquals(200, claimed.size());
        assertEquals(200, claimed.stream().map(ClaimedRun::executionId).distinct().count());

        List<Execution> stored = executionService.list(null, null, null, 500).data().stream()
                .filter(e -> created.contains(e.jobId())).toList();
        assertEquals(200, stored.size(), "executions rows");
        assertEquals(claimed.stream().map(ClaimedRun::executionId).collect(Collectors.toSet()),
                stored.stream().map(Execution::id).collect(Collectors.toSet()));
        for (ClaimedRun run : claimed) {
            Job after = stored(run.job().id());
            if (after.type() == JobType.ONCE) {
                assertEquals(runAt, run.scheduledFor());
                assertEquals(OnceStatus.RUNNING, after.status());
                assertNull(after.nextRunAt());
            } else {
                assertEquals(newYear, run.scheduledFor());
                assertEquals(newYear.atZone(ZoneOffset.UTC).plusYears(1).toInstant(), after.nextRunAt());
            }
        }
        assertEquals(List.of(), nodeA.claimDue(), "nothing left to claim");
        assertEquals(List.of(), nodeB.claimDue(), "nothing left to claim");
        nodeAClient.close();
        nodeBClient.close();
        nodeAPool.close();
        nodeBPool.close();
        assertEquals(List.of(), requests("/ok/race"), "the claims were never sent");
    }

    @Test
    void oneTimeJobSucceedsOrFails() {
        Instant runAt = Instant.now().plusMillis(1500).truncatedTo(ChronoUnit.MILLIS);
        String okPath = "/ok/once-" + UUID.randomUUID();
        String failPath = "/reject/once-" + UUID.randomUUID();
        Job ok = create("{'name': 'ok', 'url': '" + url(okPath) + "', 'run_at': '" + runAt + "'}");
        Job bad = create("{'name': 'bad', 'url': '" + url(failPath) + "', 'run_at': '" + runAt + "'}");
        assertEquals(OnceStatus.SCHEDULED, ok.status());

        await("both settled", Duration.ofSeconds(8), () -> jobs.get(ok.id()).status() == OnceStatus.SUCCEEDED
                && jobs.get(bad.id()).status() == OnceStatus.FAILED);

        Execution success = single(ok.id());
        assertEquals(RunTrigger.SCHEDULE, success.trigger());
        assertEquals(runAt, success.scheduledFor());
        assertEquals(ExecutionStatus.SUCCEEDED, success.status());
        assertEquals(1, success.attempts().size());
        assertEquals("success", success.attempts().getFirst().outcome());
        assertEquals(200, success.attempts().getFirst().statusCode());
        assertEquals(1, requests(okPath).size());
        assertFalse(requests(okPath).getFirst().getLoggedDate().toInstant().isBefore(runAt), "never early");
        assertNull(jobs.get(ok.id()).nextRunAt());
        assertEquals(List.of(), jobs.nextRuns(ok.id(), 10));
        // Lists show each job's newest execution; a job that never ran has none.
        Job never = create("{'name': 'never', 'url': '" + url(okPath) + "', 'cron': '" + YEARLY + "'}");
        Map<String, Execution> latest = executionService.latestOf(List.of(ok.id(), bad.id(), never.id()));
        assertEquals(success.id(), latest.get(ok.id()).id());
        assertEquals(ExecutionStatus.FAILED, latest.get(bad.id()).status());
        assertFalse(latest.containsKey(never.id()), "a planned run is not an execution");

        // A 404 is final: no retry.
        Execution failure = single(bad.id());
        assertEquals(ExecutionStatus.FAILED, failure.status());
        assertNull(failure.nextAttemptAt());
        assertEquals(1, failure.attempts().size());
        StoredAttempt attempt = failure.attempts().getFirst();
        assertEquals("http_error", attempt.outcome());
        assertEquals(404, attempt.statusCode());
        assertEquals("no such", attempt.responseBody());
        assertNotNull(attempt.error());
        assertTrue(attempt.durationMs() >= 0);
        assertFalse(attempt.finishedAt().isBefore(attempt.startedAt()));
        assertEquals(1, requests(failPath).size());
        assertEquals(executionService.get(failure.id()), failure);
        assertEquals(List.of(failure.id()),
                executionService.list(bad.id(), ExecutionStatus.FAILED, null, 10).data().stream().map(Execution::id).toList());
        assertEquals(List.of(), executionService.list(bad.id(), ExecutionStatus.SUCCEEDED, null, 10).data());
    }

    @Test
    void theSweepWorksOffOtherTablesInBatchesUntilABatchIsShort() {
        List<Instant> cutoffs = new ArrayList<>();
        java.util.Deque<Integer> deleted = new java.util.ArrayDeque<>(List.of(1000, 1000, 7));
        try (SchedulerEngine engine = engine(settings.withSchedulerName("sweep-" + UUID.randomUUID()))) {
            sweepWith(engine, cutoffs, deleted);
        }
    }

    private static void sweepWith(SchedulerEngine engine, List<Instant> cutoffs, java.util.Deque<Integer> deleted) {
        Instant before = Instant.now();
        engine.retainAlso(new Retention("things", Duration.ofDays(3), (cutoff, limit) -> {
            assertEquals(SchedulerEngine.SWEEP_BATCH, limit);
            cutoffs.add(cutoff);
            return deleted.isEmpty() ? 0 : deleted.pop();
        }));
        engine.retainAlso(new Retention("broken things", Duration.ofDays(1), (cutoff, limit) -> {
            throw new IllegalStateException("a failing sweep does not stop the others");
        }));
        engine.sweep();
        assertEquals(3, cutoffs.size(), "until a batch deleted fewer than a batch: " + cutoffs);
        assertFalse(cutoffs.getFirst().isBefore(before.minus(Duration.ofDays(3))));
        assertTrue(cutoffs.getFirst().isBefore(Instant.now().minus(Duration.ofDays(3)).plusSeconds(1)));
    }

    // ----------------------------------------------------------------------------------------------------------------
    // nodes

    @Test
    void theRunsOfANodeDeclaredDeadAreTakenOverWithTheSameExecutionAndAttempt() {
        String path = "/ok/dead-node-" + UUID.randomUUID();
        Instant runAt = Instant.now().plusSeconds(6).truncatedTo(ChronoUnit.MILLIS);
        Job job = create("{'name': 'orphan', 'url': '" + url(path) + "', 'run_at': '" + runAt + "'}");
        String deadNode = new PrefixedIds(Clock.systemUTC()).next("node");
        RunClaimer other = claimer(db, fixed(runAt.minusSeconds(1)), settings(500, Duration.ofSeconds(60)), deadNode);
        List<ClaimedRun> claimed = other.claimDue().stream().filter(run -> run.job().id().equals(job.id())).toList();
        assertEquals(1, claimed.size(), "the other node claimed the run, then died without sending it");
        assertEquals(Map.of(deadNode, 1), Map.of(deadNode, module.runsInHand().get(deadNode)));

        int handedOn = Transactions.inTransaction(db, tx ->
                new ExecutionRepository(db, new JobRepository(db, JSON), Clock.systemUTC(), "node_test").handOn(tx, deadNode, Instant.now()));
        assertEquals(1, handedOn);
        await("sent by this node", Duration.ofSeconds(15), () -> jobs.get(job.id()).status() == OnceStatus.SUCCEEDED);
        List<LoggedRequest> sent = requests(path);
        assertEquals(1, sent.size(), "sent once");
        assertEquals(claimed.getFirst().executionId(), sent.getFirst().getHeader("X-Cronhook-Execution-Id"));
        assertEquals("1", sent.getFirst().getHeader("X-Cronhook-Attempt"));
        StoredAttempt attempt = single(job.id()).attempts().getFirst();
        assertEquals(heartbeat.nodeId(), attempt.nodeId(), "the attempt names the node that made it");
        assertFalse(attempt.startedAt().isBefore(runAt), "never early: it waited for its time");
        assertNull(module.runsInHand().get(deadNode));
    }

    @Test
    void aNodeDeclaredDeadDropsTheRunsItHeldAndSendsEachOnceAfterAnnouncingItselfAgain() throws InterruptedException {
        String path = "/ok/fenced-" + UUID.randomUUID();
        Instant runAt = Instant.now().plusMillis(1500).truncatedTo(ChronoUnit.MILLIS);
        Job job = create("{'name': 'fenced', 'url': '" + url(path) + "', 'run_at': '" + runAt + "'}");
        await("claimed here", Duration.ofSeconds(2), () -> module.runsInHand().getOrDefault(heartbeat.nodeId(), 0) == 1);

        // Another node found this one's heartbeat too old (a long pause) and declared it dead.
        db.execute().createUpdate("UPDATE nodes SET state = 'dead' WHERE id = :id")
                .addParam("id", heartbeat.nodeId()).execute();
        await("alive again", Duration.ofSeconds(2), () -> heartbeat.nodes().stream()
                .anyMatch(n -> n.id().equals(heartbeat.nodeId()) && n.state() == NodeState.ALIVE));
        await("sent", Duration.ofSeconds(10), () -> jobs.get(job.id()).status() == OnceStatus.SUCCEEDED);
        Thread.sleep(500);
        List<LoggedRequest> sent = requests(path);
        assertEquals(1, sent.size(), "dropped when fenced, taken over again, sent once");
        assertEquals("1", sent.getFirst().getHeader("X-Cronhook-Attempt"));
        assertFalse(single(job.id()).attempts().getFirst().startedAt().isBefore(runAt), "never early");
    }

    // ----------------------------------------------------------------------------------------------------------------
    // retries

    @Test
    void oneTimeJobRetriesTheSameExecutionUntilItSucceeds() {
        String path = "/retry/recover-" + UUID.randomUUID();
        String scenario = "recover-" + path;
        target.stubFor(any(urlPathEqualTo(path)).inScenario(scenario).whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503).withBody("down")).willSetStateTo("reset"));
        target.stubFor(any(urlPathEqualTo(path)).inScenario(scenario).whenScenarioStateIs("reset")
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("up"));
        target.stubFor(any(urlPathEqualTo(path)).inScenario(scenario).whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(200).withBody("back")));
        Instant runAt = Instant.now().plusMillis(1200).truncatedTo(ChronoUnit.MILLIS);
        Job job = create("{'name': 'recover', 'url': '" + url(path) + "', 'run_at': '" + runAt + "'}");

        await("first attempt failed, retry planned", Duration.ofSeconds(6),
                () -> jobs.get(job.id()).status() == OnceStatus.RETRYING);
        Execution retrying = single(job.id());
        assertEquals(ExecutionStatus.RETRY_SCHEDULED, retrying.status());
        StoredAttempt first = retrying.attempts().getFirst();
        assertEquals(first.finishedAt().plus(RETRY_DELAY), retrying.nextAttemptAt(), "due one delay after the failure");

        await("recovered", Duration.ofSeconds(8), () -> jobs.get(job.id()).status() == OnceStatus.SUCCEEDED);
        Execution done = single(job.id());
        assertEquals(retrying.id(), done.id(), "retries are attempts of the same execution");
        assertEquals(ExecutionStatus.SUCCEEDED, done.status());
        assertNull(done.nextAttemptAt());
        assertEquals(List.of("http_error", "connection_error", "success"),
                done.attempts().stream().map(StoredAttempt::outcome).toList());
        assertEquals(List.of(1, 2, 3), done.attempts().stream().map(StoredAttempt::number).toList());

        List<LoggedRequest> sent = requests(path);
        sent.sort(java.util.Comparator.comparing(LoggedRequest::getLoggedDate));
        assertEquals(3, sent.size());
        List<Long> timestamps = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            LoggedRequest request = sent.get(i);
            assertEquals(done.id(), request.getHeader("X-Cronhook-Execution-Id"));
            assertEquals(done.id(), request.getHeader("webhook-id"));
            assertEquals(Integer.toString(i + 1), request.getHeader("X-Cronhook-Attempt"));
            assertEquals(runAt, Instant.parse(request.getHeader("X-Cronhook-Scheduled-For")));
            timestamps.add(Long.parseLong(request.getHeader("webhook-timestamp")));
        }
        assertTrue(timestamps.get(2) >= timestamps.get(0) + 1, "each attempt signs with its own time: " + timestamps);
        for (int i = 1; i < 3; i++) {
            Instant due = done.attempts().get(i - 1).finishedAt().plus(RETRY_DELAY);
            Instant started = done.attempts().get(i).startedAt();
            assertFalse(started.isBefore(due), "attempt " + (i + 1) + " never early");
            assertTrue(Duration.between(due, started).toMillis() < 1000,
                    "attempt " + (i + 1) + " within 1 s of its due time, was " + Duration.between(due, started));
        }
    }

    @Test
    void oneTimeJobFailsForGoodAfterSixAttempts() {
        String path = "/fail/six-" + UUID.randomUUID();
        Job job = create("{'name': 'six', 'url': '" + url(path) + "', 'run_at': '"
                + Instant.now().plusMillis(1100) + "'}");
        await("failed for good", Duration.ofSeconds(15), () -> jobs.get(job.id()).status() == OnceStatus.FAILED);
        Execution execution = single(job.id());
        assertEquals(ExecutionStatus.FAILED, execution.status());
        assertNull(execution.nextAttemptAt());
        assertEquals(6, execution.attempts().size());
        assertTrue(execution.attempts().stream().allMatch(a -> a.statusCode() == 500));
        assertEquals(6, requests(path).size(), "six requests, no seventh");
        assertEquals(List.of(), jobs.nextRuns(job.id(), 5));
    }

    @Test
    void aLongerRetryAfterIsHonoured() {
        String path = "/retry/after-" + UUID.randomUUID();
        String scenario = "after-" + path;
        target.stubFor(any(urlPathEqualTo(path)).inScenario(scenario).whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "2")).willSetStateTo("ok"));
        target.stubFor(any(urlPathEqualTo(path)).inScenario(scenario).whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(200)));
        Job once = create("{'name': 'later', 'url': '" + url(path) + "', 'run_at': '"
                + Instant.now().plusMillis(1100) + "'}");
        await("succeeded", Duration.ofSeconds(8), () -> jobs.get(once.id()).status() == OnceStatus.SUCCEEDED);
        List<StoredAttempt> attempts = single(once.id()).attempts();
        assertEquals(429, attempts.get(0).statusCode());
        Duration waited = Duration.between(attempts.get(0).finishedAt(), attempts.get(1).startedAt());
        assertTrue(waited.compareTo(Duration.ofSeconds(2)) >= 0 && waited.compareTo(Duration.ofSeconds(3)) < 0,
                "Retry-After 2 s beats the 700 ms delay: waited " + waited);
    }

    @Test
    void cronJobsNeverRetry() {
        String path = "/fail/cron-" + UUID.randomUUID();
        Job job = create("{'name': 'cron', 'url': '" + url(path) + "', 'cron': '* * * * * *'}");
        await("two failed runs", Duration.ofSeconds(6), () -> finished(job.id()).size() >= 2);
        jobs.pause(job.id(), null);
        awaitNoneRunning(job.id());
        List<Execution> runs = executionsOf(job.id());
        for (Execution run : runs) {
            assertEquals(ExecutionStatus.FAILED, run.status(), run.toString());
            assertEquals(1, run.attempts().size(), "one attempt, no retry: " + run);
            assertNull(run.nextAttemptAt());
        }
        assertEquals(runs.size(), requests(path).size());
    }

    /**
     * PRODUCT.md section 10: three failed executions in a row pause a job with {@code pause_after_failures: 3}; the
     * runs it had claimed ahead are dropped, so nothing more is sent, and after a resume it counts anew.
     */
    @Test
    void aCronJobPausesItselfAfterItsThresholdOfFailuresInARow() {
        String path = "/fail/streak-" + UUID.randomUUID();
        Job job = create("{'name': 'streak', 'url': '" + url(path) + "', 'cron': '* * * * * *', "
                + "'pause_after_failures': 3}");
        assertEquals(3, job.definition().pauseAfterFailures());
        await("the job paused by its failures", Duration.ofSeconds(8), () -> !jobs.get(job.id()).definition().enabled());
        Job paused = jobs.get(job.id());
        assertEquals("paused after 3 failed executions in a row", paused.pausedReason());
        assertNull(paused.nextRunAt());
        assertEquals(List.of(), plannedRuns(job.id()), "a paused job plans nothing");
        Instant pausedAt = Instant.now();
        await("the pause seen through", Duration.ofSeconds(3), () -> Instant.now().isAfter(pausedAt.plusMillis(2500)));
        List<Execution> runs = executionsOf(job.id());
        assertEquals(3, runs.size(), "exactly the three failures, none claimed ahead sent: " + runs);
        runs.forEach(run -> assertEquals(ExecutionStatus.FAILED, run.status(), run.toString()));
        assertEquals(3, requests(path).size());

        jobs.resume(job.id());
        assertNull(jobs.get(job.id()).pausedReason(), "a resumed job has no pause reason");
        await("paused again", Duration.ofSeconds(8), () -> !jobs.get(job.id()).definition().enabled());
        awaitNoneRunning(job.id());
        assertEquals(6, executionsOf(job.id()).size(), "after the resume the count started anew: three more");
    }

    /**
     * PRODUCT.md section 10, concurrency: forbid, through the running module: an every-second job against a target
     * that takes 1.5 s never has two requests under way, and every slot has one execution, sent or skipped.
     */
    @Test
    void aForbidJobNeverSendsARunWhileAnotherIsInFlight() {
        String path = "/slow/forbid-" + UUID.randomUUID();
        Job job = create("{'name': 'forbid', 'url': '" + url(path) + "', 'cron': '* * * * * *', "
                + "'concurrency': 'forbid'}");
        assertEquals(Concurrency.FORBID, job.definition().concurrency());
        await("three requests", Duration.ofSeconds(10), () -> requests(path).size() >= 3);
        jobs.pause(job.id(), null);
        awaitNoneRunning(job.id());

        List<Instant> sent = requests(path).stream().map(r -> r.getLoggedDate().toInstant()).sorted().toList();
        for (int i = 1; i < sent.size(); i++) {
            assertFalse(sent.get(i).isBefore(sent.get(i - 1).plusMillis(1500)), "overlapping requests: " + sent);
        }
        List<Execution> runs = executionsOf(job.id());
        List<Instant> slots = runs.stream().map(Execution::scheduledFor).sorted().toList();
        for (int i = 0; i < slots.size(); i++) {
            assertEquals(slots.getFirst().plusSeconds(i), slots.get(i), "one execution per slot: " + slots);
        }
        List<Execution> skipped = runs.stream().filter(e -> e.status() == ExecutionStatus.SKIPPED).toList();
        assertEquals(sent.size(), runs.stream().filter(e -> e.status() == ExecutionStatus.SUCCEEDED).count());
        assertEquals(runs.size(), sent.size() + skipped.size(), "sent or skipped: " + runs);
        assertFalse(skipped.isEmpty(), "" + runs);
        skipped.forEach(e -> {
            assertEquals(OverlapGuard.OVERLAP, e.skipReason());
            assertEquals(List.of(), e.attempts());
        });
    }

    /**
     * Two nodes whose runs of one forbid job come at the same moment: exactly one is let through and the other is
     * skipped, on each of several rounds; a manual run is refused while the one let through is in flight.
     */
    @Test
    void twoNodesDecidingAtOnceLetOneRunOfAForbidJobThrough() throws Exception {
        HikariDataSource poolA = nodePool("overlap-a", false);
        HikariDataSource poolB = nodePool("overlap-b", false);
        DbClient clientA = DbClients.over(poolA);
        DbClient clientB = DbClients.over(poolB);
        Clock clock = Clock.systemUTC();
        OverlapGuard guardA = overlapGuard(clientA, clock);
        OverlapGuard guardB = overlapGuard(clientB, clock);
        RunClaimer nodeA = claimer(clientA, clock, settings);
        RunClaimer nodeB = claimer(clientB, clock, settings);
        String path = "/ok/overlap-" + UUID.randomUUID();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 10; round++) {
                // Paused, so that only the manual runs of the test exist.
                Job job = create("{'name': 'forbid-" + round + "', 'url': '" + url(path) + "', 'cron': '" + YEARLY
                        + "', 'concurrency': 'forbid', 'enabled': false}");
                ClaimedRun a = manualRun(nodeA, job);
                ClaimedRun b = manualRun(nodeB, job);
                CyclicBarrier start = new CyclicBarrier(2);
                Future<OverlapGuard.Decision> decidedA = threads.submit(() -> {
                    start.await();
                    return guardA.admit(a);
                });
                Future<OverlapGuard.Decision> decidedB = threads.submit(() -> {
                    start.await();
                    return guardB.admit(b);
                });
                List<OverlapGuard.Decision> decisions = List.of(decidedA.get(30, TimeUnit.SECONDS),
                        decidedB.get(30, TimeUnit.SECONDS));
                assertTrue(decisions.contains(OverlapGuard.Decision.SEND), "round " + round + ": " + decisions);
                assertTrue(decisions.contains(OverlapGuard.Decision.SKIPPED), "round " + round + ": " + decisions);
                ClaimedRun skipped = decisions.get(0) == OverlapGuard.Decision.SKIPPED ? a : b;
                ClaimedRun sent = skipped == a ? b : a;
                Execution stored = executionService.get(skipped.executionId());
                assertEquals(ExecutionStatus.SKIPPED, stored.status());
                assertEquals(OverlapGuard.OVERLAP, stored.skipReason());
                assertEquals(ExecutionStatus.RUNNING, executionService.get(sent.executionId()).status());
                assertThrows(DomainException.Conflict.class, () -> executionService.trigger(job.id()),
                        "a manual run while one is in flight");
                assertEquals(OverlapGuard.Decision.SEND, guardB.admit(sent), "the run let through may go again");
            }
        } finally {
            threads.shutdownNow();
            clientA.close();
            clientB.close();
            poolA.close();
            poolB.close();
        }
        assertEquals(List.of(), requests(path), "the guard decides; it never sends");
    }

    /**
     * An execution waiting for its retry is in flight: a forbid one-time job's manual run is refused until the
     * execution let through ends for good, and a run handed back unsent holds nothing off.
     */
    @Test
    void aForbidJobsExecutionWaitingForARetryHoldsItsOtherRunsOff() {
        Job job = create("{'name': 'retrying', 'url': '" + url("/ok/retrying") + "', 'run_at': '"
                + Instant.now().plus(Duration.ofDays(30)) + "', 'concurrency': 'forbid'}");
        RunClaimer node = claimer(db, Clock.systemUTC(), settings);
        OverlapGuard guard = overlapGuard(db, Clock.systemUTC());
        ExecutionRepository repository = new ExecutionRepository(db, new JobRepository(db, JSON), Clock.systemUTC(),
                "node_test");
        ClaimedRun first = manualRun(node, job);
        assertEquals(OverlapGuard.Decision.SEND, guard.admit(first));
        Instant now = Instant.now();
        Transactions.inTransaction(db, tx -> {
            repository.insertAttempt(tx, first.executionId(), 1, new AttemptResult(Outcome.HTTP_ERROR, 503, "HTTP 503",
                    null, null, now, now.plusMillis(5)));
            return repository.finish(tx, first.executionId(), 1, ExecutionStatus.RETRY_SCHEDULED,
                    now.plus(Duration.ofMinutes(1)), now);
        });
        assertTrue(guard.busy(job), "retry_scheduled is in flight");
        assertThrows(DomainException.Conflict.class, () -> executionService.trigger(job.id()));
        // Its retries ran out (the later attempts are beside the point here).
        db.execute().createUpdate("UPDATE executions SET status = 'failed', next_attempt_at = NULL WHERE id = :id")
                .addParam("id", first.executionId()).execute();
        assertFalse(guard.busy(job), "failed for good: nothing in flight");

        ClaimedRun second = manualRun(node, job);
        assertEquals(OverlapGuard.Decision.SEND, guard.admit(second));
        assertTrue(guard.busy(job));
        repository.release(second, Instant.now());
        assertFalse(guard.busy(job), "handed back unsent: it holds nothing off");
    }

    private static ClaimedRun manualRun(RunClaimer node, Job job) {
        RunClaimer.ManualRun manual = node.claimManual(job);
        return manual.claimed().stream().filter(run -> run.executionId().equals(manual.executionId())).findFirst()
                .orElseThrow();
    }

    /** PRODUCT.md section 10: no slot after a cron job's end_at runs, and its planned run goes with the last one. */
    @Test
    void aCronJobRunsNoSlotAfterItsEnd() {
        String path = "/ok/end-" + UUID.randomUUID();
        Instant end = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(2);
        Job job = create("{'name': 'ends', 'url': '" + url(path) + "', 'cron': '* * * * * *', 'end_at': '" + end + "'}");
        await("the last slot run", Duration.ofSeconds(6), () -> executionsOf(job.id()).stream()
                .anyMatch(e -> e.scheduledFor().equals(end) && e.status() == ExecutionStatus.SUCCEEDED));
        assertEquals(List.of(), plannedRuns(job.id()), "nothing planned after the end");
        assertNull(jobs.get(job.id()).nextRunAt());
        await("a second past the end", Duration.ofSeconds(3), () -> Instant.now().isAfter(end.plusMillis(1500)));
        for (Execution run : executionsOf(job.id())) {
            assertFalse(run.scheduledFor().isAfter(end), "a run after the end: " + run);
        }
    }

    /**
     * A retry stored with its failed attempt is claimed by whichever node ticks, once; a paused job's retry waits for
     * the resume; a retry taken back by a stopping node is due again at its time.
     */
    @Test
    void aStoredRetryIsClaimedOnceByAnyNodeAndWaitsWhilePaused() throws Exception {
        Instant due = Instant.now().plus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);
        Job job = create("{'name': 'stored', 'url': '" + url("/ok/stored-retry") + "', 'run_at': '"
                + due.plus(Duration.ofDays(1)) + "'}");
        String executionId = new PrefixedIds(Clock.systemUTC()).next("exe");
        ExecutionRepository repository = new ExecutionRepository(db, new JobRepository(db, JSON), Clock.systemUTC(), "node_test");
        Instant start = due.minusSeconds(60);
        AttemptResult failed = new AttemptResult(Outcome.HTTP_ERROR, 502, "HTTP 502", null, null, start,
                start.plusMillis(10));
        Transactions.inTransaction(db, tx -> {
            repository.insertRunning(tx, List.of(new ExecutionRepository.NewRun(executionId, job.id(),
                    RunTrigger.SCHEDULE, start, start, start.plusSeconds(90))), start);
            repository.insertAttempt(tx, executionId, 1, failed);
            assertTrue(repository.finish(tx, executionId, 1, ExecutionStatus.RETRY_SCHEDULED, due, start));
            assertFalse(repository.finish(tx, executionId, 1, ExecutionStatus.FAILED, null, start),
                    "an attempt is recorded once");
            return null;
        });
        SchedulerSettings claimSettings = settings(500, Duration.ofSeconds(60));
        Clock soon = fixed(due.minusMillis(1500));
        assertEquals(List.of(), takeOver(fixed(due.minusSeconds(10)), claimSettings),
                "not within the lookahead yet");

        jobs.pause(job.id(), null);
        assertEquals(List.of(), takeOver(soon, claimSettings), "paused: the retry waits");
        jobs.resume(job.id());

        try (HikariDataSource poolA = nodePool("retry-a", false); HikariDataSource poolB = nodePool("retry-b", true)) {
            DbClient clientA = DbClients.over(poolA);
            DbClient clientB = DbClients.over(poolB);
            RunClaimer nodeA = claimer(clientA, soon, claimSettings);
            RunClaimer nodeB = claimer(clientB, soon, claimSettings);
            var executor = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                var a = executor.submit(() -> nodeA.claimDue());
                var b = executor.submit(() -> nodeB.claimDue());
                List<ClaimedRun> claimed = new ArrayList<>(a.get());
                claimed.addAll(b.get());
                assertEquals(1, claimed.size(), "claimed once across nodes: " + claimed);
                ClaimedRun retry = claimed.getFirst();
                assertEquals(executionId, retry.executionId());
                assertEquals(2, retry.attemptNumber());
                assertEquals(due, retry.dueAt());
                assertEquals(start, retry.scheduledFor());
                Execution claimedView = executionService.get(executionId);
                assertEquals(ExecutionStatus.RETRY_SCHEDULED, claimedView.status(),
                        "claimed ahead of its time, it still reads as the planned retry");
                assertEquals(due, claimedView.nextAttemptAt());
                assertEquals(List.of(executionId), executionService.list(job.id(), ExecutionStatus.RETRY_SCHEDULED, null, 10)
                        .data().stream().map(Execution::id).toList());
                assertEquals(List.of(), executionService.list(job.id(), ExecutionStatus.RUNNING, null, 10).data());
                assertEquals(List.of(), nodeA.claimDue());

                // The node stops before the attempt starts: the retry is due again at its time, on any node.
                repository.release(retry, due.minusSeconds(1));
                Execution released = executionService.get(executionId);
                assertEquals(ExecutionStatus.RETRY_SCHEDULED, released.status());
                assertEquals(due, released.nextAttemptAt());
                assertEquals(1, nodeB.claimDue().size());
            } finally {
                executor.shutdownNow();
                clientA.close();
                clientB.close();
            }
        }
    }

    /**
     * A retry this node did not store (another node failed the attempt, or this node before a restart) is found by
     * the tick's look around and sent at its due time, never before.
     */
    @Test
    void aRetryStoredElsewhereIsSentAtItsTime() {
        String path = "/ok/elsewhere-" + UUID.randomUUID();
        Job job = create("{'name': 'elsewhere', 'url': '" + url(path) + "', 'run_at': '"
                + Instant.now().plus(Duration.ofDays(1)) + "'}");
        ExecutionRepository repository = new ExecutionRepository(db, new JobRepository(db, JSON), Clock.systemUTC(), "node_test");
        String executionId = new PrefixedIds(Clock.systemUTC()).next("exe");
        Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Instant due = start.plusSeconds(7);
        Transactions.inTransaction(db, tx -> {
            repository.insertRunning(tx, List.of(new ExecutionRepository.NewRun(executionId, job.id(),
                    RunTrigger.SCHEDULE, start, start, start.plusSeconds(90))), start);
            repository.insertAttempt(tx, executionId, 1, new AttemptResult(Outcome.HTTP_ERROR, 502, "HTTP 502", null,
                    null, start, start.plusMillis(10)));
            return repository.finish(tx, executionId, 1, ExecutionStatus.RETRY_SCHEDULED, due, start);
        });

        await("the retry is sent", Duration.ofSeconds(15), () -> !requests(path).isEmpty());
        LoggedRequest request = requests(path).getFirst();
        assertEquals("2", request.getHeader("X-Cronhook-Attempt"));
        assertEquals(executionId, request.getHeader("X-Cronhook-Execution-Id"));
        assertFalse(request.getLoggedDate().toInstant().isBefore(due.truncatedTo(ChronoUnit.SECONDS)),
                "not before its time: " + request.getLoggedDate().toInstant() + " < " + due);
        await("recorded", Duration.ofSeconds(5),
                () -> executionService.get(executionId).status() == ExecutionStatus.SUCCEEDED);
    }

    @Test
    void pauseStopsFiringResumeDoesNotReplayDeleteRemovesEverything() throws InterruptedException {
        String path = "/ok/pause-" + UUID.randomUUID();
        Job job = create("{'name': 'p', 'url': '" + url(path) + "', 'cron': '* * * * * *'}");
        await("a first run", Duration.ofSeconds(6), () -> !finished(job.id()).isEmpty());

        Job paused = jobs.pause(job.id(), null);
        Instant pausedAt = Instant.now();
        assertFalse(paused.definition().enabled());
        assertNull(paused.nextRunAt());
        awaitNoneRunning(job.id());
        int runsBefore = executionsOf(job.id()).size();
        int requestsBefore = requests(path).size();
        assertEquals(runsBefore, requestsBefore);
        assertTrue(executionsOf(job.id()).stream().noneMatch(e -> e.scheduledFor().isAfter(pausedAt)));

        Thread.sleep(2200);
        assertEquals(runsBefore, executionsOf(job.id()).size(), "no run while paused");
        assertEquals(requestsBefore, requests(path).size(), "no request while paused");
        assertFalse(jobs.get(job.id()).definition().enabled());

        Instant resumedAt = Instant.now();
        Job resumed = jobs.resume(job.id());
        assertTrue(resumed.definition().enabled());
        assertTrue(resumed.nextRunAt().isAfter(resumedAt), "next run after the resume: " + resumed.nextRunAt());
        await("a run after resuming", Duration.ofSeconds(6), () -> finished(job.id()).size() > runsBefore);
        List<Execution> afterResume = executionsOf(job.id()).stream()
                .filter(e -> e.scheduledFor().isAfter(pausedAt)).toList();
        assertFalse(afterResume.isEmpty());
        for (Execution run : afterResume) {
            assertTrue(run.scheduledFor().isAfter(resumedAt), "missed runs are not replayed: " + run);
            assertEquals(RunTrigger.SCHEDULE, run.trigger());
        }

        jobs.delete(job.id());
        assertThrows(DomainException.NotFound.class, () -> jobs.get(job.id()));
        assertThrows(DomainException.NotFound.class, () -> executionService.ofJob(job.id(), null, null, 10));
        assertEquals(List.of(), executionService.list(job.id(), null, null, 10).data(), "executions deleted with the job");
        Thread.sleep(300); // a request already on the wire may still land
        int requestsAtDelete = requests(path).size();
        Thread.sleep(2000);
        assertEquals(requestsAtDelete, requests(path).size(), "no request after delete");
        assertEquals(List.of(), executionService.list(job.id(), null, null, 10).data());
    }

    /** A one-time job claimed ahead of its time (within the lookahead), then paused and resumed, still runs. */
    @Test
    void oneTimeJobPausedJustBeforeItsRunStillRunsAfterResume() {
        String path = "/ok/once-paused-" + UUID.randomUUID();
        Instant runAt = Instant.now().plusMillis(1500);
        Job job = create("{'name': 'o', 'url': '" + url(path) + "', 'run_at': '" + runAt + "'}");
        jobs.pause(job.id(), null);
        jobs.resume(job.id());
        await("the one-time job ran", Duration.ofSeconds(6), () -> jobs.get(job.id()).status() == OnceStatus.SUCCEEDED);
        assertEquals(1, executionsOf(job.id()).size());
        assertEquals(1, requests(path).size());
    }

    @Test
    void triggerRunsAtOnceEvenWhenPaused() {
        String path = "/ok/manual-" + UUID.randomUUID();
        Job job = create("{'name': 'm', 'url': '" + url(path) + "', 'cron': '" + YEARLY + "', 'enabled': false}");
        Instant before = Instant.now();
        Execution manual = executionService.trigger(job.id());
        assertTrue(PrefixedIds.looksLike("exe", manual.id()), manual.id());
        assertEquals(RunTrigger.MANUAL, manual.trigger());
        assertEquals(job.id(), manual.jobId());
        assertFalse(manual.scheduledFor().isBefore(before.truncatedTo(ChronoUnit.MILLIS)));

        await("the manual request", Duration.ofSeconds(2), () -> requests(path).size() == 1);
        LoggedRequest request = requests(path).getFirst();
        assertEquals(manual.id(), request.getHeader("X-Cronhook-Execution-Id"));
        assertTrue(Duration.between(before, request.getLoggedDate().toInstant()).toMillis() < 1000, "at once");
        await("recorded", Duration.ofSeconds(3),
                () -> executionService.get(manual.id()).status() == ExecutionStatus.SUCCEEDED);
        assertEquals(RunTrigger.MANUAL, executionService.get(manual.id()).trigger());
        assertFalse(jobs.get(job.id()).definition().enabled(), "still paused");

        // A manual run of a one-time job leaves the job's own schedule alone.
        Instant later = Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
        Job once = create("{'name': 'o', 'url': '" + url(path) + "', 'run_at': '" + later + "'}");
        Execution onceRun = executionService.trigger(once.id());
        await("recorded", Duration.ofSeconds(3),
                () -> executionService.get(onceRun.id()).status() == ExecutionStatus.SUCCEEDED);
        assertEquals(OnceStatus.SCHEDULED, jobs.get(once.id()).status());
        assertEquals(later, jobs.get(once.id()).nextRunAt());
        assertEquals(List.of(later), jobs.nextRuns(once.id(), 10));

        assertThrows(DomainException.NotFound.class, () -> executionService.trigger("job_00000000000000000000000000"));
    }

    @Test
    void afterARotationRequestsCarryBothSignatures() {
        String path = "/ok/rotate-" + UUID.randomUUID();
        Job job = create("{'name': 'r', 'url': '" + url(path) + "', 'cron': '" + YEARLY + "', 'body': 'plain'}");
        WebhookSecret old = job.secrets().current();
        Instant before = Instant.now();
        Job rotated = jobs.rotateSecret(job.id());
        WebhookSecret current = rotated.secrets().current();
        assertNotEquals(old, current);
        assertEquals(old, rotated.secrets().previous());
        Duration overlap = Duration.between(before, rotated.secrets().previousUntil());
        assertTrue(overlap.compareTo(Duration.ofHours(24)) >= 0 && overlap.compareTo(Duration.ofHours(24).plusMinutes(1)) < 0,
                "the old secret signs for 24 h: " + overlap);
        SigningSecrets stored = jobs.get(job.id()).secrets();
        assertEquals(current, stored.current());
        assertEquals(old, stored.previous());
        assertTrue(Duration.between(rotated.secrets().previousUntil(), stored.previousUntil()).abs().toMillis() < 1);

        Execution run = executionService.trigger(job.id());
        await("the request", Duration.ofSeconds(3), () -> requests(path).size() == 1);
        LoggedRequest request = requests(path).getFirst();
        assertEquals(run.id(), request.getHeader("webhook-id"));
        String[] entries = request.getHeader("webhook-signature").split(" ");
        assertEquals(2, entries.length, request.getHeader("webhook-signature"));
        assertEquals(standardSignature(current, request, request.getBody()), entries[0]);
        assertEquals(standardSignature(old, request, request.getBody()), entries[1]);
        assertEquals(hexSignature(current, request.getBody()), request.getHeader("X-Cronhook-Signature"));
        assertEquals("plain", new String(request.getBody(), UTF_8));
        assertTrue(request.getHeader("Content-Type").startsWith("text/plain"));
    }

    /**
     * The one pick finds a job's next run as an executions row that waits like a retry: exactly one per job that has
     * a next run, always at the job's next_run_at, through every change of the job and every claim, and never listed
     * as an execution.
     */
    @Test
    void aJobsNextRunIsOnePlannedRowThatMovesWithTheJob() {
        Job job = create("{'name': 'planned', 'url': '" + url("/ok/planned") + "', 'cron': '" + YEARLY + "'}");
        assertEquals(List.of(job.nextRunAt()), plannedRuns(job.id()), "created");

        Job hourly = jobs.update(job.id(), Drafts.of(JobDraft.class, "{'cron': '0 * * * *'}"));
        assertEquals(List.of(hourly.nextRunAt()), plannedRuns(job.id()), "rescheduled");
        jobs.pause(job.id(), null);
        assertEquals(List.of(), plannedRuns(job.id()), "paused: no next run");
        Job resumed = jobs.resume(job.id());
        assertEquals(List.of(resumed.nextRunAt()), plannedRuns(job.id()), "resumed");

        // A node claims it ahead of time: the planned row becomes an execution and moves on to the next slot.
        Instant slot = resumed.nextRunAt();
        List<ClaimedRun> claimed = claimer(db, fixed(slot.minusSeconds(1)), settings(500, Duration.ofSeconds(60)))
                .claimDue();
        assertEquals(List.of(slot), claimed.stream().map(ClaimedRun::scheduledFor).toList());
        Instant next = stored(job.id()).nextRunAt();
        assertEquals(slot.plus(Duration.ofHours(1)), next);
        assertEquals(List.of(next), plannedRuns(job.id()), "moved on with the claim");
        assertEquals(List.of(claimed.getFirst().executionId()),
                executionsOf(job.id()).stream().map(Execution::id).toList(), "only the claimed run is listed");

        jobs.delete(job.id());
        assertEquals(List.of(), plannedRuns(job.id()), "deleted");
    }

    @Test
    void nextRunsFollowTheScheduleInItsZone() {
        Job cron = create("{'name': 'n', 'url': '" + url("/ok/next") + "', 'cron': '0 9 * * MON-FRI', "
                + "'timezone': 'Europe/Berlin', 'enabled': false}");
        Instant now = Instant.now();
        List<Instant> next = jobs.nextRuns(cron.id(), 10);
        assertEquals(10, next.size());
        assertTrue(next.getFirst().isAfter(now));
        for (int i = 0; i < next.size(); i++) {
            ZonedDateTime local = next.get(i).atZone(ZoneId.of("Europe/Berlin"));
            assertEquals(LocalTime.of(9, 0), local.toLocalTime(), local.toString());
            assertFalse(local.getDayOfWeek() == DayOfWeek.SATURDAY || local.getDayOfWeek() == DayOfWeek.SUNDAY);
            if (i > 0) {
                assertTrue(next.get(i).isAfter(next.get(i - 1)));
            }
        }
        assertEquals(100, jobs.nextRuns(cron.id(), 100).size());
        assertEquals(next.subList(0, 3), jobs.nextRuns(cron.id(), 3));

        Instant runAt = now.plus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS);
        Job once = create("{'name': 'o', 'url': '" + url("/ok/next") + "', 'run_at': '" + runAt + "'}");
        assertEquals(List.of(runAt), jobs.nextRuns(once.id(), 10));
        assertThrows(DomainException.NotFound.class, () -> jobs.nextRuns("job_00000000000000000000000000", 3));
    }

    // ----------------------------------------------------------------------------------------------------------------
    // nodes that stop

    /**
     * A node claims a run and dies before sending it. Once the lease (timeout + grace) has run out, another node
     * takes the same execution over as attempt 1, once.
     */
    @Test
    void abandonedRunIsTakenOverOnceWithTheSameExecution() {
        Instant runAt = Instant.now().plus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);
        String path = "/ok/abandoned-" + UUID.randomUUID();
        Job job = create("{'name': 'a', 'url': '" + url(path) + "', 'run_at': '" + runAt + "', 'timeout_seconds': 1}");
        SchedulerSettings quick = settings(500, Duration.ofSeconds(1));

        List<ClaimedRun> claimed = claimer(db, fixed(runAt.plusMillis(500)), quick).claimDue();
        assertEquals(1, claimed.size(), "claimed: " + claimed);
        ClaimedRun lost = claimed.getFirst(); // the node dies here: never sent, never recorded
        assertEquals(job.id(), lost.job().id());
        assertEquals(1, lost.attemptNumber());
        assertEquals(OnceStatus.RUNNING, stored(job.id()).status());

        // Lease: run start (runAt + 0.5 s) + timeout 1 s + grace 1 s.
        assertEquals(List.of(), takeOver(fixed(runAt.plusSeconds(2)), quick), "lease still held");

        List<ClaimedRun> taken = takeOver(fixed(runAt.plusSeconds(3)), quick);
        assertEquals(1, taken.size(), "taken: " + taken);
        ClaimedRun again = taken.getFirst();
        assertEquals(lost.executionId(), again.executionId());
        assertEquals(1, again.attemptNumber(), "the lost attempt was never made");
        assertEquals(job.id(), again.job().id());
        assertEquals(runAt, again.scheduledFor());
        assertEquals(lost.trigger(), again.trigger());
        assertEquals(List.of(), takeOver(fixed(runAt.plusSeconds(3)), quick), "taken over once");
        assertEquals(List.of(), takeOver(fixed(runAt.plusSeconds(3)), quick), "on any node");

        Execution execution = executionService.get(lost.executionId());
        assertEquals(ExecutionStatus.RUNNING, execution.status());
        assertEquals(List.of(), execution.attempts());
        assertEquals(1, executionsOf(job.id()).size());
        assertEquals(List.of(), requests(path));
    }

    /**
     * What is owed comes back from one claim: a due retry and a run whose lease ended, each as the attempt it owes, at
     * the time that attempt is due. A node whose heartbeat lapsed takes the retry but leaves the other node's run.
     */
    @Test
    void oneClaimTakesDueRetriesAndRunsWhoseLeaseEnded() {
        Instant at = Instant.now().plus(Duration.ofHours(6)).truncatedTo(ChronoUnit.SECONDS);
        Job job = create("{'name': 'owed', 'url': '" + url("/ok/owed") + "', 'cron': '" + YEARLY + "'}");
        ExecutionRepository gone = new ExecutionRepository(db, new JobRepository(db, JSON), Clock.systemUTC(), "node_gone");
        String abandoned = storeRunning(gone, job.id(), at, at.plusSeconds(5));
        String retry = storeRunning(gone, job.id(), at, at.plusSeconds(90));
        Instant retryDue = at.plusSeconds(60);
        Transactions.inTransaction(db, tx -> {
            gone.insertAttempt(tx, retry, 1, new AttemptResult(Outcome.HTTP_ERROR, 503, "HTTP 503", null, null, at,
                    at.plusMillis(5)));
            return gone.finish(tx, retry, 1, ExecutionStatus.RETRY_SCHEDULED, retryDue, at.plusMillis(5));
        });
        SchedulerSettings claimSettings = settings(500, Duration.ofSeconds(60));
        Clock later = fixed(retryDue.minusSeconds(1));

        List<ClaimedRun> retried = claimer(db, later, claimSettings).claimDue();
        assertEquals(List.of(retry), retried.stream().map(ClaimedRun::executionId).toList(), "the retry only");
        assertEquals(2, retried.getFirst().attemptNumber());
        assertEquals(retryDue, retried.getFirst().dueAt(), "sent at its due time, not at the claim");

        List<ClaimedRun> taken = takeOver(later, claimSettings);
        assertEquals(List.of(abandoned), taken.stream().map(ClaimedRun::executionId).toList(),
                "the run whose lease ended; the retry is this claim's now");
        assertEquals(1, taken.getFirst().attemptNumber(), "its attempt was never recorded");
        assertEquals(at, taken.getFirst().dueAt());
        assertEquals(List.of(), takeOver(later, claimSettings), "each claimed once");
        assertEquals(ExecutionStatus.RETRY_SCHEDULED, executionService.get(retry).status(),
                "claimed ahead of its time, it still reads as the planned retry");
        assertEquals(retryDue, executionService.get(retry).nextAttemptAt());
        assertNull(executionService.get(abandoned).nextAttemptAt(), "a running execution shows no next attempt");
    }

    /** A pass larger than a batch is claimed by several transactions at once; each due run exactly once. */
    @Test
    void aPassOfManyBatchesClaimsEveryDueRunOnce() {
        Instant runAt = Instant.now().plus(Duration.ofHours(4)).truncatedTo(ChronoUnit.SECONDS);
        Set<String> due = new HashSet<>();
        for (int i = 0; i < 95; i++) {
            due.add(create("{'name': 'many " + i + "', 'url': '" + url("/ok/many") + "', 'run_at': '"
                    + runAt.plusMillis(i % 7) + "'}").id());
        }
        List<ClaimedRun> claimed = claimer(db, fixed(runAt.minusSeconds(1)), settings(10, Duration.ofSeconds(60)))
                .claimDue();
        assertEquals(95, claimed.size());
        assertEquals(due, claimed.stream().map(run -> run.job().id()).collect(Collectors.toSet()));
        assertEquals(95, claimed.stream().map(ClaimedRun::executionId).distinct().count());
        for (String jobId : due) {
            assertEquals(1, executionsOf(jobId).size(), jobId);
        }
    }

    /**
     * Outcomes are written a batch at a time with a few statements. When a node that took one of the runs over has
     * recorded that attempt first, its record stands, and the rest of the batch is recorded all the same.
     */
    @Test
    void anAttemptRecordedFirstElsewhereStandsAndTheRestOfItsBatchIsRecorded() {
        Job job = create("{'name': 'batch', 'url': '" + url("/ok/batch") + "', 'cron': '" + YEARLY + "'}");
        ExecutionRepository executions = new ExecutionRepository(db, new JobRepository(db, JSON), Clock.systemUTC(), "node_test");
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String takenOver = storeRunning(executions, job.id(), at, at.plusSeconds(90));
        String mine = storeRunning(executions, job.id(), at, at.plusSeconds(90));
        AttemptResult elsewhere = new AttemptResult(Outcome.SUCCESS, 200, null, "other node", null, at,
                at.plusMillis(3));
        Transactions.inTransaction(db, tx -> {
            executions.insertAttempt(tx, takenOver, 1, elsewhere);
            return executions.finish(tx, takenOver, 1, ExecutionStatus.SUCCEEDED, null, at.plusMillis(3));
        });

        try (OutcomeRecorder recorder = recorder(settings)) {
            recorder.write(List.of(
                    new OutcomeRecorder.Finished(ClaimedRun.first(takenOver, job, RunTrigger.MANUAL, at),
                            new AttemptResult(Outcome.HTTP_ERROR, 500, "HTTP 500", "boom", null, at, at.plusMillis(9))),
                    new OutcomeRecorder.Finished(ClaimedRun.first(mine, job, RunTrigger.MANUAL, at),
                            new AttemptResult(Outcome.SUCCESS, 200, null, "mine", null, at, at.plusMillis(7)))));
        }

        Execution first = executionService.get(takenOver);
        assertEquals(ExecutionStatus.SUCCEEDED, first.status(), "the first record stands");
        assertEquals(List.of("other node"), first.attempts().stream().map(StoredAttempt::responseBody).toList());
        Execution recorded = executionService.get(mine);
        assertEquals(ExecutionStatus.SUCCEEDED, recorded.status());
        assertEquals(List.of("mine"), recorded.attempts().stream().map(StoredAttempt::responseBody).toList());
    }

    /**
     * A run its node still holds (waiting in a busy node's queue, or for the outcome writer) is not abandoned: its
     * lease is renewed before it runs out, so no other node sends it again, and its own node never takes it over.
     */
    @Test
    void aHeldRunKeepsItsLeaseAndIsNotTakenOver() {
        Instant runAt = Instant.now().plus(Duration.ofHours(5)).truncatedTo(ChronoUnit.SECONDS);
        Job job = create("{'name': 'held', 'url': '" + url("/ok/held") + "', 'run_at': '" + runAt
                + "', 'timeout_seconds': 1}");
        SchedulerSettings quick = settings(500, Duration.ofSeconds(4));
        MutableClock clock = new MutableClock(runAt);
        HeldRuns held = new HeldRuns(clock, quick.leaseGrace());
        String nodeId = new PrefixedIds(clock).next("node");
        RunClaimer node = claimer(db, clock, quick, nodeId);
        ClaimedRun run = node.claimDue().getFirst();
        held.hold(run);
        ExecutionRepository executions = new ExecutionRepository(db, new JobRepository(db, JSON), clock, nodeId);

        // The claim's lease: runAt + timeout 1 s + grace 4 s. Renewed from half a grace before that, for as long as held.
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofSeconds(2));
            held.renewExpiring(executions);
        }
        Instant lateEnough = runAt.plusSeconds(10);
        assertEquals(List.of(), takeOver(fixed(lateEnough.plusSeconds(2)), quick),
                "the lease was renewed past " + lateEnough);
        assertEquals(List.of(), takeOver(fixed(runAt.plusSeconds(60)), quick, nodeId, held),
                "its own node never takes it over");

        // Its own node's pick renewed the lease (runAt + 60 s + timeout 1 s + grace 4 s) and kept it in memory.
        held.release(List.of(run.executionId()));
        List<ClaimedRun> taken = takeOver(fixed(runAt.plusSeconds(70)), quick);
        assertEquals(List.of(run.executionId()), taken.stream().map(ClaimedRun::executionId).toList(),
                "released without an outcome (its node gave up on it): owed, and taken over");
    }

    /**
     * A backlog of late runs never delays runs that are due on time: those are claimed first, and late ones only up
     * to the budget the engine gives (what it can send now); the rest wait for the next tick.
     */
    @Test
    void onTimeRunsAreClaimedBeforeABacklogWhichDrainsWithinItsBudget() {
        Instant base = Instant.now().plus(Duration.ofHours(3)).truncatedTo(ChronoUnit.SECONDS);
        List<String> late = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            late.add(create("{'name': 'late " + i + "', 'url': '" + url("/ok/backlog") + "', 'run_at': '"
                    + base.plusMillis(i) + "'}").id());
        }
        Instant backUp = base.plus(Duration.ofMinutes(10));
        List<String> onTime = List.of(
                create("{'name': 'on time a', 'url': '" + url("/ok/on-time") + "', 'run_at': '"
                        + backUp.plusMillis(300) + "'}").id(),
                create("{'name': 'on time b', 'url': '" + url("/ok/on-time") + "', 'run_at': '"
                        + backUp.minusMillis(500) + "'}").id());
        RunClaimer node = claimer(db, fixed(backUp), settings(500, Duration.ofSeconds(60)));

        List<ClaimedRun> first = node.claimDue(3);
        assertEquals(onTime.reversed(), first.subList(0, 2).stream().map(r -> r.job().id()).toList(),
                "on-time runs first, in time order");
        assertEquals(RunTrigger.SCHEDULE, first.get(0).trigger());
        assertEquals(late.subList(0, 3), first.subList(2, 5).stream().map(r -> r.job().id()).toList(),
                "then the oldest late runs, as many as the budget");
        assertEquals(RunTrigger.CATCH_UP, first.get(2).trigger());
        assertEquals(5, first.size());
        assertEquals(late.subList(3, 6), node.claimDue(3).stream().map(r -> r.job().id()).toList());
        assertEquals(List.of(), node.claimDue(0), "no budget, no late runs");
        assertEquals(late.subList(6, 7), node.claimDue().stream().map(r -> r.job().id()).toList());
    }

    /**
     * {@code jitter_seconds}: a run is claimed for, and due at, its slot plus the job's offset for it (never before);
     * the job's next run and the execution's scheduled time stay the slot, and the execution keeps its fire time.
     */
    @Test
    void aJitteredJobSendsEachRunAtItsSlotPlusItsOffset() {
        Job job = create("{'name': 'spread', 'url': '" + url("/ok/jitter") + "', 'cron': '* * 1 1 *', "
                + "'jitter_seconds': 50}");
        Instant first = job.nextRunAt();
        Instant fireAt = Jitter.fireAt(job.id(), first, 50);
        assertFalse(fireAt.isBefore(first));
        assertTrue(fireAt.isBefore(first.plusSeconds(50)));
        Duration lookahead = settings.lookahead();
        MutableClock clock = new MutableClock(fireAt.minus(lookahead).minusMillis(500));
        RunClaimer node = claimer(db, clock, settings);

        assertEquals(List.of(), node.claimDue(), "not yet within the lookahead of its fire time");
        clock.advance(Duration.ofSeconds(1));
        List<ClaimedRun> claimed = node.claimDue();
        assertEquals(1, claimed.size(), "" + claimed);
        assertEquals(first, claimed.getFirst().scheduledFor(), "the slot");
        assertEquals(fireAt, claimed.getFirst().dueAt(), "sent at the slot plus its offset");
        Execution stored = executionsOf(job.id()).getFirst();
        assertEquals(first, stored.scheduledFor());
        assertEquals(fireAt, stored.fireAt());
        Instant next = first.plus(Duration.ofMinutes(1));
        assertEquals(next, jobs.get(job.id()).nextRunAt(), "next_run_at stays the slot");
        clock.advance(Duration.between(clock.instant(), Jitter.fireAt(job.id(), next, 50).minus(lookahead)
                .plusMillis(500)));
        assertEquals(List.of(Jitter.fireAt(job.id(), next, 50)),
                node.claimDue().stream().map(ClaimedRun::dueAt).toList(), "the next slot has its own offset");
    }

    /**
     * After downtime a cron job ({@code catch_up: latest}, the default) fires once, for the most recent slot it
     * missed, counts the others in {@code missed_runs}, then follows its schedule from now.
     */
    @Test
    void missedCronRunsFireOnceAsCatchUp() {
        Job job = create("{'name': 'daily', 'url': '" + url("/ok/catch-up") + "', 'cron': '0 0 * * *'}");
        Instant firstMissed = job.nextRunAt();
        Instant backUp = firstMissed.plus(Duration.ofDays(3)).plus(Duration.ofHours(1));
        RunClaimer node = claimer(db, fixed(backUp), settings(500, Duration.ofSeconds(60)));

        List<ClaimedRun> claimed = node.claimDue();
        assertEquals(1, claimed.size(), "four missed runs, one catch-up: " + claimed);
        assertEquals(RunTrigger.CATCH_UP, claimed.getFirst().trigger());
        assertEquals(firstMissed.plus(Duration.ofDays(3)), claimed.getFirst().scheduledFor(), "the latest");
        assertEquals(firstMissed.plus(Duration.ofDays(4)), jobs.get(job.id()).nextRunAt());
        assertEquals(3, jobs.get(job.id()).missedRuns());
        assertEquals(List.of(), node.claimDue());
        assertEquals(RunTrigger.CATCH_UP, single(job.id()).trigger());
    }

    /** {@code catch_up: none}: no run for the missed slots, all of them counted. */
    @Test
    void aCatchUpNoneJobRunsNothingItMissed() {
        Job job = create("{'name': 'daily', 'url': '" + url("/ok/catch-up") + "', 'cron': '0 0 * * *', "
                + "'catch_up': 'none'}");
        Instant firstMissed = job.nextRunAt();
        RunClaimer node = claimer(db, fixed(firstMissed.plus(Duration.ofDays(3)).plus(Duration.ofHours(1))),
                settings(500, Duration.ofSeconds(60)));

        assertEquals(List.of(), node.claimDue().stream().filter(run -> run.job().id().equals(job.id())).toList());
        assertEquals(firstMissed.plus(Duration.ofDays(4)), jobs.get(job.id()).nextRunAt());
        assertEquals(4, jobs.get(job.id()).missedRuns());
        assertEquals(List.of(), executionsOf(job.id()));
    }

    /**
     * {@code catch_up: all} after a 10-minute downtime: every missed slot of an every-minute job is claimed once, oldest
     * first, as a catch-up; nothing is counted missed; then the job follows its schedule.
     */
    @Test
    void aCatchUpAllJobSendsEachMissedSlotOnceOldestFirst() {
        // Every minute on 1 January: far enough ahead that the module's own engine never claims it.
        Job job = create("{'name': 'all', 'url': '" + url("/ok/catch-up-all") + "', 'cron': '* * 1 1 *', "
                + "'catch_up': 'all'}");
        Instant first = job.nextRunAt();
        Instant backUp = first.plus(Duration.ofMinutes(10)).plusSeconds(30);
        RunClaimer node = claimer(db, fixed(backUp), settings(500, Duration.ofSeconds(60)));

        List<ClaimedRun> claimed = node.claimDue();
        assertEquals(IntStream.rangeClosed(0, 10).mapToObj(i -> first.plus(Duration.ofMinutes(i))).toList(),
                claimed.stream().map(ClaimedRun::scheduledFor).toList(), "each missed slot once, oldest first");
        assertTrue(claimed.stream().allMatch(run -> run.trigger() == RunTrigger.CATCH_UP), claimed.toString());
        assertEquals(first.plus(Duration.ofMinutes(11)), jobs.get(job.id()).nextRunAt());
        assertEquals(0, jobs.get(job.id()).missedRuns());
        assertEquals(List.of(), node.claimDue());
        RunClaimer other = claimer(db, fixed(backUp), settings(500, Duration.ofSeconds(60)));
        assertEquals(List.of(), other.claimDue(), "another node finds nothing more to claim");
        assertEquals(11, executionsOf(job.id()).size());
    }

    /**
     * {@code catch_up: all} on a {@code forbid} job: its missed slots run one after another, oldest first. Each is
     * claimed when the catch-up run before it ends, or, should that end never be recorded, once that run's lease
     * could have run out.
     */
    @Test
    void aForbidJobCatchesUpOneSlotAfterAnother() {
        Job job = create("{'name': 'one by one', 'url': '" + url("/ok/catch-up-forbid") + "', 'cron': '* * 1 1 *', "
                + "'catch_up': 'all', 'concurrency': 'forbid'}");
        Instant first = job.nextRunAt();
        MutableClock clock = new MutableClock(first.plus(Duration.ofMinutes(3)).plusSeconds(30));
        SchedulerSettings claimSettings = settings(500, Duration.ofSeconds(1));
        RunClaimer node = claimer(db, clock, claimSettings);
        OutcomeRecorder recorder = recorder(claimSettings, clock);

        for (int slot = 0; slot < 3; slot++) {
            List<ClaimedRun> claimed = node.claimDue();
            assertEquals(List.of(first.plus(Duration.ofMinutes(slot))),
                    claimed.stream().map(ClaimedRun::scheduledFor).toList(), "one slot at a time");
            assertEquals(RunTrigger.CATCH_UP, claimed.getFirst().trigger());
            assertEquals(first.plus(Duration.ofMinutes(4)), jobs.get(job.id()).nextRunAt(), "its schedule goes on");
            assertEquals(List.of(), node.claimDue(), "the next slot waits for this run to end");
            clock.advance(Duration.ofSeconds(1));
            recorder.write(List.of(new OutcomeRecorder.Finished(claimed.getFirst(), success(clock.instant()))));
        }
        List<ClaimedRun> last = node.claimDue();
        assertEquals(List.of(first.plus(Duration.ofMinutes(3))), last.stream().map(ClaimedRun::scheduledFor).toList());
        clock.advance(Duration.ofSeconds(30));
        assertEquals(List.of(RunTrigger.SCHEDULE), node.claimDue().stream().map(ClaimedRun::trigger).toList(),
                "the catch-up is over: only the schedule's next run");
        assertEquals(0, jobs.get(job.id()).missedRuns());
        assertEquals(5, executionsOf(job.id()).size());
    }

    /**
     * A catch-up that a forbid job walks, whose run's end is never recorded: the next missed slot is claimed anyway
     * once that run's lease could have run out, so a lost outcome never stalls the job.
     */
    @Test
    void aForbidCatchUpGoesOnWhenARunsEndIsNeverRecorded() {
        Job job = create("{'name': 'lost end', 'url': '" + url("/ok/catch-up-lost") + "', 'cron': '* * 1 1 *', "
                + "'catch_up': 'all', 'concurrency': 'forbid', 'timeout_seconds': 5}");
        Instant first = job.nextRunAt();
        MutableClock clock = new MutableClock(first.plus(Duration.ofMinutes(1)).plusSeconds(30));
        SchedulerSettings claimSettings = settings(500, Duration.ofSeconds(1));
        RunClaimer node = claimer(db, clock, claimSettings);

        assertEquals(List.of(first), node.claimDue().stream().map(ClaimedRun::scheduledFor).toList());
        clock.advance(Duration.ofSeconds(2));
        assertEquals(List.of(), node.claimDue(), "within the run's timeout, the next slot waits");
        clock.advance(Duration.ofSeconds(3).plus(claimSettings.leaseGrace()));
        assertEquals(List.of(first.plus(Duration.ofMinutes(1))),
                node.claimDue().stream().map(ClaimedRun::scheduledFor).toList());
        assertEquals(first.plus(Duration.ofMinutes(2)), jobs.get(job.id()).nextRunAt());
    }

    /**
     * A node that is up but falls behind (a slow tick, a claim pass cut short under load) still owes every run it is
     * late for: each missed slot of an every-second cron is claimed once, as scheduled, none skipped. Only runs missed
     * before the node started are a catch-up.
     */
    @Test
    void aNodeThatFallsBehindClaimsEveryLateRunOfACronJob() {
        // Every second on 1 January: far enough ahead that the module's own engine never claims it.
        Job job = create("{'name': 'busy', 'url': '" + url("/ok/behind") + "', 'cron': '* * * 1 1 *'}");
        Instant first = job.nextRunAt();
        MutableClock clock = new MutableClock(first);
        RunClaimer node = claimer(db, clock, settings);

        assertEquals(List.of(first, first.plusSeconds(1)),
                node.claimDue().stream().map(ClaimedRun::scheduledFor).toList(), "on time: the lookahead's two slots");
        clock.advance(Duration.ofSeconds(10));
        List<ClaimedRun> late = node.claimDue();
        assertEquals(IntStream.rangeClosed(2, 11).mapToObj(first::plusSeconds).toList(),
                late.stream().map(ClaimedRun::scheduledFor).toList(), "every slot it fell behind on, in order");
        assertTrue(late.stream().allMatch(run -> run.trigger() == RunTrigger.SCHEDULE), late.toString());
        assertEquals(first.plusSeconds(12), stored(job.id()).nextRunAt());
        assertEquals(12, executionsOf(job.id()).size());

        clock.advance(Duration.ofSeconds(30));
        RunClaimer restarted = claimer(db, clock, settings);
        List<ClaimedRun> afterRestart = restarted.claimDue();
        assertEquals(1, afterRestart.size(), "30 missed while no node ran, one catch-up: " + afterRestart);
        assertEquals(RunTrigger.CATCH_UP, afterRestart.getFirst().trigger());
        assertEquals(first.plusSeconds(40), afterRestart.getFirst().scheduledFor(), "the latest missed slot");
        assertEquals(28, stored(job.id()).missedRuns());
        assertEquals(first.plusSeconds(41), stored(job.id()).nextRunAt(), "then on schedule from now");
        assertEquals(List.of(RunTrigger.SCHEDULE), restarted.claimDue().stream().map(ClaimedRun::trigger).toList());
    }

    /**
     * A run whose time came waits for a free connection to its destination without being sent: pausing its job then
     * takes it back, so it is never sent and its unstarted execution goes, while the run ahead of it finishes.
     */
    @Test
    void aRunWaitingForAConnectionIsTakenBackWhenItsJobIsPaused() throws InterruptedException {
        String busyPath = "/slow/busy-" + UUID.randomUUID();
        String waitingPath = "/ok/waiting-" + UUID.randomUUID();
        Job busy = create("{'name': 'busy', 'url': '" + url(busyPath) + "', 'cron': '" + YEARLY + "'}");
        Job waiting = create("{'name': 'waits', 'url': '" + url(waitingPath) + "', 'cron': '" + YEARLY + "'}");
        try (HttpSender oneConnection = new HttpSender(Clock.systemUTC(), "Cronhook/test",
                HttpSender.Config.defaults().withConnectionsPerDestination(1));
             SchedulerEngine engine = engine(settings.withSchedulerName("queue-" + UUID.randomUUID()), oneConnection)) {
            String first = engine.triggerNow(busy);
            String queued = engine.triggerNow(waiting);
            await("the busy run is on the wire", Duration.ofSeconds(3), () -> requests(busyPath).size() == 1);

            List<ClaimedRun> takenBack = engine.cancel(waiting.id());

            assertEquals(List.of(queued), takenBack.stream().map(ClaimedRun::executionId).toList());
            assertThrows(DomainException.NotFound.class, () -> executionService.get(queued));
            await("the run ahead of it is recorded", Duration.ofSeconds(5),
                    () -> executionService.get(first).status() == ExecutionStatus.SUCCEEDED);
            Thread.sleep(500); // the connection is free: a run still queued would be on the wire by now
            assertEquals(List.of(), requests(waitingPath), "never sent");
        }
    }

    /** An outcome that can no longer be stored (its job was deleted mid-request) must not block other outcomes. */
    @Test
    void deletingAJobWhileItsRequestIsInFlightDoesNotStopRecording() throws InterruptedException {
        String slow = "/slow/" + UUID.randomUUID();
        Job doomed = create("{'name': 'doomed', 'url': '" + url(slow) + "', 'cron': '" + YEARLY + "'}");
        executionService.trigger(doomed.id());
        Thread.sleep(500); // the request is on the wire, its response 1.5 s away
        jobs.delete(doomed.id());
        Thread.sleep(1700); // its outcome arrives and cannot be stored

        String path = "/ok/after-delete-" + UUID.randomUUID();
        Job next = create("{'name': 'next', 'url': '" + url(path) + "', 'cron': '" + YEARLY + "'}");
        Execution run = executionService.trigger(next.id());
        await("the next outcome is recorded", Duration.ofSeconds(5),
                () -> executionService.get(run.id()).status() == ExecutionStatus.SUCCEEDED);
    }

    // ----------------------------------------------------------------------------------------------------------------
    // retention

    @Test
    void retentionSweepRemovesFinishedExecutionsOlderThanTheRetention() {
        Job job = create("{'name': 'ret', 'url': '" + url("/ok/retention") + "', 'cron': '" + YEARLY + "', "
                + "'enabled': false}");
        Instant now = Instant.now();
        ExecutionRepository executions = new ExecutionRepository(db, new JobRepository(db, JSON), Clock.systemUTC(), "node_test");
        String old = storeFinished(executions, job.id(), now.minus(Duration.ofDays(10)));
        String oldFailed = storeFinished(executions, job.id(), now.minus(Duration.ofDays(6)));
        String young = storeFinished(executions, job.id(), now.minus(Duration.ofDays(4)));
        String oldRunning = storeRunning(executions, job.id(), now.minus(Duration.ofDays(10)), now.plus(Duration.ofHours(1)));
        Job longLived = create("{'name': 'ret planned', 'url': '" + url("/ok/retention") + "', 'cron': '" + YEARLY + "'}");
        db.execute().createUpdate("UPDATE executions SET created_at = :old WHERE job_id = :job")
                .addParam("old", Rows.at(now.minus(Duration.ofDays(10)))).addParam("job", longLived.id()).execute();

        SchedulerSettings fiveDays = settings.withSchedulerName("retention-" + UUID.randomUUID())
                .withRetention(Duration.ofDays(5));
        try (SchedulerEngine engine = engine(fiveDays)) {
            engine.sweep();
            assertThrows(DomainException.NotFound.class, () -> executionService.get(old));
            assertThrows(DomainException.NotFound.class, () -> executionService.get(oldFailed));
            assertEquals(1, executionService.get(young).attempts().size(), "younger than the retention: kept");
            assertEquals(ExecutionStatus.RUNNING, executionService.get(oldRunning).status(), "running: kept");
            assertEquals(Set.of(young, oldRunning),
                    executionsOf(job.id()).stream().map(Execution::id).collect(Collectors.toSet()));
            Integer attemptsLeft = db.execute().createGet("SELECT COUNT(*) AS n FROM attempts WHERE execution_id IN "
                    + "(:a, :b)").addParam("a", old).addParam("b", oldFailed).execute()
                    .map(row -> (int) Rows.number(row, "n")).orElseThrow();
            assertEquals(0, attemptsLeft, "their attempts went with them");
            assertEquals(List.of(longLived.nextRunAt()), plannedRuns(longLived.id()),
                    "the next run of a job older than the retention is kept");
        }
    }

    // ----------------------------------------------------------------------------------------------------------------
    // completion: callback

    @Test
    void aCallbackJobWaitsForItsCallbackRetriesWhenItSaysFailedAndHoldsItsOtherRunsOff() {
        String path = "/ok/callback-" + UUID.randomUUID();
        Job job = create("{'name': 'callback', 'url': '" + url(path) + "', 'run_at': '"
                + Instant.now().plusMillis(1100) + "', 'completion': 'callback', 'concurrency': 'forbid'}");
        await("the 2xx recorded", Duration.ofSeconds(6), () -> executionsOf(job.id()).stream()
                .anyMatch(e -> e.status() == ExecutionStatus.AWAITING_CALLBACK));
        Execution awaiting = single(job.id());
        StoredAttempt answered = awaiting.attempts().getFirst();
        assertEquals("awaiting_callback", answered.outcome());
        assertEquals(200, answered.statusCode());
        assertEquals(answered.finishedAt().plusSeconds(3600), awaiting.callbackDeadline(), "an hour after the 2xx");
        assertNull(awaiting.nextAttemptAt());
        assertThrows(DomainException.Conflict.class, () -> executionService.trigger(job.id()),
                "an execution awaiting its callback is in flight for a forbid job");

        String firstUrl = requests(path).getFirst().getHeader("X-Cronhook-Callback-Url");
        assertTrue(firstUrl.matches("https://cronhook\\.example/callbacks/chc_[A-Za-z0-9_-]{43}"), firstUrl);
        CallbackService callbacks = module.callbacks();
        Instant calledBack = Instant.now();
        assertEquals(new CallbackService.Accepted(awaiting.id(), 1),
                callbacks.receive(token(firstUrl), new CallbackReport(CallbackReport.Status.FAILED, "disk full")));
        assertThrows(DomainException.Conflict.class, () -> callbacks.receive(token(firstUrl),
                new CallbackReport(CallbackReport.Status.SUCCEEDED, null)), "one callback per attempt");

        await("the second attempt awaits its callback", Duration.ofSeconds(6), () -> {
            Execution e = single(job.id());
            return e.status() == ExecutionStatus.AWAITING_CALLBACK && e.attempts().size() == 2;
        });
        Execution retried = single(job.id());
        assertEquals(List.of("callback_failed", "awaiting_callback"),
                retried.attempts().stream().map(StoredAttempt::outcome).toList());
        assertEquals("the callback reported failed", retried.attempts().getFirst().error());
        assertEquals(List.of(new Execution.Callback(1, new CallbackReport(CallbackReport.Status.FAILED, "disk full"),
                retried.callbacks().getFirst().receivedAt())), retried.callbacks());
        assertFalse(retried.attempts().get(1).startedAt().isBefore(calledBack.plus(RETRY_DELAY).minusMillis(50)),
                "the retry waits its delay from the callback");
        List<LoggedRequest> sent = requests(path);
        assertEquals(2, sent.size());
        String secondUrl = sent.stream().filter(r -> "2".equals(r.getHeader("X-Cronhook-Attempt"))).findFirst()
                .orElseThrow().getHeader("X-Cronhook-Callback-Url");
        assertNotEquals(firstUrl, secondUrl, "one URL per attempt");
        assertThrows(DomainException.Conflict.class, () -> callbacks.receive(token(firstUrl),
                new CallbackReport(CallbackReport.Status.SUCCEEDED, null)), "attempt 1 has ended");

        callbacks.receive(token(secondUrl), new CallbackReport(CallbackReport.Status.SUCCEEDED, "{\"rows\":3}"));
        await("succeeded", Duration.ofSeconds(5), () -> jobs.get(job.id()).status() == OnceStatus.SUCCEEDED);
        Execution done = single(job.id());
        assertEquals(ExecutionStatus.SUCCEEDED, done.status());
        assertNull(done.callbackDeadline());
        assertEquals(List.of("callback_failed", "success"), done.attempts().stream().map(StoredAttempt::outcome)
                .toList());
        assertEquals("{\"rows\":3}", done.callbacks().get(1).report().output());
        assertThrows(DomainException.Conflict.class, () -> callbacks.receive(token(secondUrl),
                new CallbackReport(CallbackReport.Status.SUCCEEDED, null)), "repeated");
        assertThrows(DomainException.UnknownToken.class, () -> callbacks.receive("chc_" + "A".repeat(43),
                new CallbackReport(CallbackReport.Status.SUCCEEDED, null)));
        assertEquals(2, requests(path).size(), "nothing more sent");
    }

    @Test
    void aCallbackThatNeverComesTimesOutAndIsRetriedAndALateOneIsRefused() {
        String path = "/ok/silent-" + UUID.randomUUID();
        Job job = create("{'name': 'silent', 'url': '" + url(path) + "', 'run_at': '"
                + Instant.now().plusMillis(1100) + "', 'completion': 'callback', 'callback_timeout_seconds': 1}");
        await("timed out and retried", Duration.ofSeconds(8), () -> requests(path).size() == 2);
        await("attempt 2 awaits its callback", Duration.ofSeconds(5),
                () -> single(job.id()).attempts().size() == 2);
        Execution execution = single(job.id());
        StoredAttempt first = execution.attempts().getFirst();
        assertEquals("callback_timeout", first.outcome());
        assertEquals("no callback within 1 s of the response", first.error());
        Instant deadline = first.finishedAt().plusSeconds(1);
        Instant retried = execution.attempts().get(1).startedAt();
        assertFalse(retried.isBefore(deadline.plus(RETRY_DELAY)), "the retry waits its delay from the deadline");
        assertTrue(Duration.between(deadline.plus(RETRY_DELAY), retried).toMillis() < 2500,
                "ended within a tick or two of its deadline: " + Duration.between(deadline, retried));
        String firstUrl = requests(path).stream().filter(r -> "1".equals(r.getHeader("X-Cronhook-Attempt")))
                .findFirst().orElseThrow().getHeader("X-Cronhook-Callback-Url");
        assertThrows(DomainException.Conflict.class, () -> module.callbacks().receive(token(firstUrl),
                new CallbackReport(CallbackReport.Status.SUCCEEDED, null)), "too late");
        assertTrue(single(job.id()).callbacks().isEmpty(), "a late callback is not kept");
    }

    @Test
    void aCallbackThatComesBeforeItsResponseIsRecordedEndsTheAttemptOnAnyNode() {
        Instant runAt = Instant.now().plus(Duration.ofDays(3)).truncatedTo(ChronoUnit.SECONDS);
        Job job = create("{'name': 'early', 'url': '" + url("/ok/early") + "', 'run_at': '" + runAt
                + "', 'completion': 'callback'}");
        MutableClock clock = new MutableClock(runAt);
        List<ClaimedRun> awaited = Collections.synchronizedList(new ArrayList<>());
        RunClaimer claimer = claimer(db, clock, settings, "node_early", new HeldRuns(clock, settings.leaseGrace()),
                awaited::add);
        List<ClaimedRun> claimed = claimer.claimDue();
        assertEquals(1, claimed.size());
        ClaimedRun run = claimed.getFirst();
        assertNotNull(run.callbackUrl());
        assertFalse(run.toString().contains(token(run.callbackUrl())), "the URL is a secret: " + run);

        // The target calls back while its request is still under way.
        module.callbacks().receive(token(run.callbackUrl()), new CallbackReport(CallbackReport.Status.SUCCEEDED,
                "x".repeat(5000)));
        OutcomeRecorder recorder = recorder(settings, clock);
        recorder.write(List.of(new OutcomeRecorder.Finished(run, success(runAt.plusMillis(40)))));
        assertEquals(ExecutionStatus.AWAITING_CALLBACK, single(job.id()).status(), "until a pick ends it");

        clock.advance(Duration.ofMillis(500));
        assertEquals(List.of(), claimer.claimDue(), "nothing to send");
        assertEquals(1, awaited.size(), "due at once, as its callback came");
        recorder.write(List.copyOf(awaited.stream().map(OutcomeRecorder.Awaited::new).toList()));
        Execution done = single(job.id());
        assertEquals(ExecutionStatus.SUCCEEDED, done.status());
        assertEquals(List.of("success"), done.attempts().stream().map(StoredAttempt::outcome).toList());
        assertEquals(CallbackReport.MAX_OUTPUT_BYTES, done.callbacks().getFirst().report().output().length(),
                "the first 4 KiB of the output is kept");
        assertEquals(OnceStatus.SUCCEEDED, stored(job.id()).status());
    }

    private static String token(String callbackUrl) {
        return callbackUrl.substring(callbackUrl.lastIndexOf('/') + 1);
    }

    // ----------------------------------------------------------------------------------------------------------------
    // helpers

    private Job create(String singleQuotedJson) {
        return jobs.create(Drafts.of(JobDraft.class, singleQuotedJson));
    }


    private String url(String path) {
        return target.baseUrl() + path;
    }

    private List<LoggedRequest> requests(String path) {
        return target.findAll(anyRequestedFor(urlPathEqualTo(path)));
    }

    private List<Job> allJobs(JobType type, Boolean enabled) {
        List<Job> all = new ArrayList<>();
        String cursor = null;
        do {
            Page<Job> page = jobs.list(type, enabled, null, cursor, 100);
            all.addAll(page.data());
            cursor = page.nextCursor();
        } while (cursor != null);
        return all;
    }

    /** When the job's planned runs (rows the pick finds, not executions) are due, as the database holds them. */
    private List<Instant> plannedRuns(String jobId) {
        try (var rows = db.execute().createQuery("SELECT next_attempt_at FROM executions WHERE job_id = :job "
                + "AND status = 'planned'").addParam("job", jobId).execute()) {
            return rows.map(row -> Rows.instant(row, "next_attempt_at")).toList();
        }
    }

    private List<Execution> executionsOf(String jobId) {
        List<Execution> all = new ArrayList<>();
        String cursor = null;
        do {
            Page<Execution> page = executionService.ofJob(jobId, null, cursor, 100);
            all.addAll(page.data());
            cursor = page.nextCursor();
        } while (cursor != null);
        return all;
    }

    private List<Execution> finished(String jobId) {
        return executionsOf(jobId).stream().filter(e -> e.status() != ExecutionStatus.RUNNING).toList();
    }

    private Execution single(String jobId) {
        List<Execution> runs = executionsOf(jobId);
        assertEquals(1, runs.size(), "executions: " + runs);
        return runs.getFirst();
    }

    private void awaitNoneRunning(String jobId) {
        await("no running execution", Duration.ofSeconds(5),
                () -> executionsOf(jobId).stream().noneMatch(e -> e.status() == ExecutionStatus.RUNNING));
    }

    private static Set<String> ids(Job... list) {
        return ids(List.of(list));
    }

    private static Set<String> ids(List<Job> list) {
        return list.stream().map(Job::id).collect(Collectors.toSet());
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + timeout.toMillis() + " ms waiting for: " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for: " + what);
            }
        }
    }

    private static Clock fixed(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }

    private SchedulerSettings settings(int claimBatch, Duration leaseGrace) {
        return settings.withClaimBatch(claimBatch).withLeaseGrace(leaseGrace);
    }

    /**
     * Another node's own connection pool to the same database. {@code planWithoutIndexes}: on PostgreSQL its sessions
     * plan without index scans (as a planner may for a small or freshly changed table): a sequential scan and a sort,
     * whose order among equal keys is arbitrary.
     */
    private HikariDataSource nodePool(String name, boolean planWithoutIndexes) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(database.jdbcUrl());
        config.setUsername(database.user());
        config.setPassword(database.password());
        config.setMaximumPoolSize(2);
        if (planWithoutIndexes && postgres) {
            config.setConnectionInitSql("SET enable_indexscan = off; SET enable_bitmapscan = off; "
                    + "SET enable_indexonlyscan = off");
        }
        return new HikariDataSource(config);
    }

    /** The job as the database holds it (the service shows a claimed, not yet started one-time job as scheduled). */
    private Job stored(String id) {
        return new JobRepository(db, JSON).find(id).orElseThrow().job();
    }

    /** Another node's claimer over the same database, with its own clock. */
    private RunClaimer claimer(DbClient client, Clock clock, SchedulerSettings claimSettings) {
        return claimer(client, clock, claimSettings, new PrefixedIds(clock).next("node"));
    }

    private RunClaimer claimer(DbClient client, Clock clock, SchedulerSettings claimSettings, String nodeId) {
        return claimer(client, clock, claimSettings, nodeId, new HeldRuns(clock, claimSettings.leaseGrace()));
    }

    private RunClaimer claimer(DbClient client, Clock clock, SchedulerSettings claimSettings, String nodeId,
                               HeldRuns held) {
        return claimer(client, clock, claimSettings, nodeId, held, run -> { });
    }

    private RunClaimer claimer(DbClient client, Clock clock, SchedulerSettings claimSettings, String nodeId,
                               HeldRuns held, java.util.function.Consumer<ClaimedRun> awaitedEnds) {
        JobRepository jobRepository = new JobRepository(client, JSON);
        JobNotifications notifications = new JobNotifications(new WebhookRepository(client, JSON), jobRepository,
                deliveries.outbox(), new PrefixedIds(clock), JSON, claimSettings.retries(), clock);
        return new RunClaimer(client, jobRepository, new ExecutionRepository(client, jobRepository, clock, nodeId),
                new Schedules(), new PrefixedIds(clock), held, notifications, clock, claimSettings, awaitedEnds);
    }

    /**
     * What a tick of another node that may take over does at {@code clock}: hands back the runs whose lease ran out,
     * then picks. By default a node that holds no run in memory, as one just started or standing in for a dead one.
     */
    private List<ClaimedRun> takeOver(Clock clock, SchedulerSettings claimSettings) {
        return takeOver(clock, claimSettings, new PrefixedIds(clock).next("node"),
                new HeldRuns(clock, claimSettings.leaseGrace()));
    }

    private List<ClaimedRun> takeOver(Clock clock, SchedulerSettings claimSettings, String nodeId, HeldRuns held) {
        new ExecutionRepository(db, new JobRepository(db, JSON), clock, nodeId).endLapsedLeases(clock.instant());
        return claimer(db, clock, claimSettings, nodeId, held).claimDue();
    }

    /** A second engine over the same database; never started, so only what the test calls runs. */
    private SchedulerEngine engine(SchedulerSettings engineSettings) {
        return engine(engineSettings, sender);
    }

    private SchedulerEngine engine(SchedulerSettings engineSettings, HttpSender engineSender) {
        Clock clock = Clock.systemUTC();
        ExecutionRepository executions = new ExecutionRepository(db, new JobRepository(db, JSON), clock, "node_test");
        OutcomeRecorder recorder = recorder(engineSettings);
        AttemptRunner runner = new AttemptRunner(engineSender, recorder, new SchedulerMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry()));
        return new SchedulerEngine(claimer(db, clock, engineSettings), executions, recorder, runner,
                new HeldRuns(clock, engineSettings.leaseGrace()), overlapGuard(db, clock), database.dataSource(),
                () -> true, clock, engineSettings);
    }

    /** Another node's overlap guard, over its own client of the same database. */
    private OverlapGuard overlapGuard(DbClient client, Clock clock) {
        JobRepository jobRepository = new JobRepository(client, JSON);
        JobNotifications notifications = new JobNotifications(new WebhookRepository(client, JSON), jobRepository,
                deliveries.outbox(), new PrefixedIds(clock), JSON, settings.retries(), clock);
        return new OverlapGuard(client, jobRepository, new ExecutionRepository(client, jobRepository, clock,
                "node_test"), notifications, new SchedulerMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry()), clock);
    }

    /** Another node's outcome writer over the same database. */
    private OutcomeRecorder recorder(SchedulerSettings recorderSettings) {
        return recorder(recorderSettings, Clock.systemUTC());
    }

    private OutcomeRecorder recorder(SchedulerSettings recorderSettings, Clock clock) {
        JobRepository jobRepository = new JobRepository(db, JSON);
        JobNotifications notifications = new JobNotifications(new WebhookRepository(db, JSON), jobRepository,
                deliveries.outbox(), new PrefixedIds(clock), JSON, recorderSettings.retries(), clock);
        return new OutcomeRecorder(db, new ExecutionRepository(db, new JobRepository(db, JSON), clock, "node_test"), jobRepository, notifications, clock,
                recorderSettings.retries());
    }

    private static AttemptResult success(Instant at) {
        return new AttemptResult(Outcome.SUCCESS, 200, null, "ok", null, at.minusMillis(5), at);
    }

    /** A finished manual execution with one attempt, created at {@code createdAt}. */
    private String storeFinished(ExecutionRepository executions, String jobId, Instant createdAt) {
        String id = new PrefixedIds(fixed(createdAt)).next("exe");
        AttemptResult result = new AttemptResult(Outcome.SUCCESS, 200, null, "ok", null, createdAt,
                createdAt.plusMillis(5));
        Transactions.inTransaction(db, tx -> {
            executions.insertRunning(tx, List.of(new ExecutionRepository.NewRun(id, jobId, RunTrigger.MANUAL, createdAt,
                    createdAt, createdAt.plusSeconds(90))), createdAt);
            executions.insertAttempt(tx, id, 1, result);
            executions.finish(tx, id, 1, ExecutionStatus.SUCCEEDED, null, createdAt.plusMillis(5));
            return null;
        });
        return id;
    }

    private String storeRunning(ExecutionRepository executions, String jobId, Instant createdAt, Instant lease) {
        String id = new PrefixedIds(fixed(createdAt)).next("exe");
        Transactions.inTransaction(db, tx ->
                executions.insertRunning(tx, List.of(new ExecutionRepository.NewRun(id, jobId, RunTrigger.MANUAL, createdAt,
                        createdAt, lease)), createdAt));
        return id;
    }

    private static byte[] hmac(byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            for (byte[] part : parts) {
                mac.update(part);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private static String hexSignature(WebhookSecret secret, byte[] body) {
        return "sha256=" + HexFormat.of().formatHex(hmac(secret.value().getBytes(UTF_8), body));
    }

    private static String standardSignature(WebhookSecret secret, LoggedRequest request) {
        return standardSignature(secret, request, request.getBody());
    }

    private static String standardSignature(WebhookSecret secret, LoggedRequest request, byte[] body) {
        byte[] key = Base64.getDecoder().decode(secret.value().substring("whsec_".length()));
        String signed = request.getHeader("webhook-id") + "." + request.getHeader("webhook-timestamp") + ".";
        return "v1," + Base64.getEncoder().encodeToString(hmac(key, signed.getBytes(UTF_8), body));
    }
}
