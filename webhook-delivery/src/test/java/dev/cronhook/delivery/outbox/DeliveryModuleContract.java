package dev.cronhook.delivery.outbox;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.cronhook.common.db.DbClients;
import dev.cronhook.common.db.Rows;
import dev.cronhook.common.db.Transactions;
import dev.cronhook.delivery.attempts.StoredAttempt;
import dev.cronhook.delivery.cluster.NodeHeartbeat;
import dev.cronhook.delivery.http.HttpSender;
import dev.cronhook.delivery.signing.SignatureVerifier;
import dev.cronhook.delivery.signing.WebhookSecret;
import dev.cronhook.delivery.testing.MutableClock;
import dev.cronhook.delivery.testing.TestDatabase;
import dev.cronhook.delivery.testing.TestDatabaseKind;
import io.helidon.dbclient.DbClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The delivery module against a real database and a WireMock subscriber. Tests drive the worker with
 * {@code runOnce()} and a clock moved by hand; where two nodes are needed, two modules share the database.
 * One subclass per database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DeliveryModuleContract {
    private static final Duration FIRST_DELAY = Duration.ofSeconds(5);
    private static final Duration SECOND_DELAY = Duration.ofMinutes(1);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Duration LEASE_GRACE = Duration.ofSeconds(30);
    private static final Duration BREAKER_WAIT = Duration.ofMinutes(2);
    /** Long enough that a started worker only runs when woken. */
    private static final Duration POLL = Duration.ofHours(1);
    private static final String EVENT_TYPE = "job.execution.failed";

    private TestDatabase database;
    private DbClient db;
    private WireMockServer target;
    private MutableClock clock;
    private HttpSender sender;
    private MapDirectory webhooks;
    private MapDirectory channels;
    private final List<DeliveryModule> modules = new ArrayList<>();

    abstract TestDatabaseKind kind();

    @BeforeAll
    void startDatabaseAndTarget() {
        database = TestDatabase.create(kind());
        db = DbClients.over(database.dataSource());
        target = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        target.start();
    }

    @BeforeEach
    void freshClockAndDirectories() {
        clock = new MutableClock(Instant.parse("2026-11-22T10:00:00Z"));
        sender = new HttpSender(clock, "Cronhook/test");
        webhooks = new MapDirectory();
        channels = new MapDirectory();
    }

    @AfterEach
    void closeModulesAndForgetDeliveries() {
        modules.forEach(DeliveryModule::close);
        modules.clear();
        sender.close();
        db.execute().createDelete("DELETE FROM deliveries").execute();
        target.resetAll();
    }

    @AfterAll
    void stopDatabaseAndTarget() {
        try (var closeDatabase = database) {
            target.stop();
            db.close();
        }
    }

    // ----------------------------------------------------------------------------------------------------------------
    // sending and retrying

    @Test
    void aFailedAttemptIsRetriedAfterTheFirstDelayWithTheSameIdAndAValidSignature() {
        DeliveryModule module = module(settings());
        String path = failingThenOk(500);
        WebhookSecret secret = WebhookSecret.generate();
        Endpoint endpoint = webhook(path, "Bearer subscriber-token", secret);
        byte[] body = "{\"id\":\"evt_1\",\"type\":\"job.execution.failed\",\"note\":\"caf\u00e9\"}".getBytes(UTF_8);
        String id = enqueue(module, endpoint.id(), "evt_1", body);

        assertEquals(1, module.worker().runOnce());
        LoggedRequest first = onlyRequest(path);
        assertSignedAndSent(first, "evt_1", body, List.of(secret));
        assertEquals("Bearer subscriber-token", first.getHeader("Authorization"));
        Delivery afterFirst = module.delivery(endpoint.id(), id).orElseThrow();
        assertEquals(DeliveryStatus.PENDING, afterFirst.status());
        assertEquals(1, afterFirst.attemptCount());
        assertEquals(clock.instant().plus(FIRST_DELAY), afterFirst.nextAttemptAt());
        assertEquals("http_error", afterFirst.attempts().getFirst().outcome());
        assertEquals(500, afterFirst.attempts().getFirst().statusCode());

        clock.advance(FIRST_DELAY.minusMillis(1));
        assertEquals(0, module.worker().runOnce(), "not due before its time");
        clock.advance(Duration.ofMillis(1));
        assertEquals(1, module.worker().runOnce());

        List<LoggedRequest> requests = requests(path);
        assertEquals(2, requests.size());
        assertSignedAndSent(requests.get(1), "evt_1", body, List.of(secret));
        assertNotEquals(requests.get(0).getHeader("webhook-timestamp"), requests.get(1).getHeader("webhook-timestamp"),
                "each attempt is signed at its own time");
        Delivery delivered = module.delivery(endpoint.id(), id).orElseThrow();
        assertEquals(DeliveryStatus.SUCCEEDED, delivered.status());
        assertNull(delivered.nextAttemptAt());
        assertEquals(List.of(1, 2), delivered.attempts().stream().map(StoredAttempt::number).toList());
        assertEquals("success", delivered.attempts().get(1).outcome());
        assertEquals(0, module.pending());
    }

    @Test
    void retentionDeletesFinishedDeliveriesCreatedBeforeTheCutoffInBatchesWithTheirAttemptsAndKeepsPendingOnes() {
        // The failed delivery's retry is due after 40 days: still pending when the old ones are swept.
        DeliveryModule module = module(settings().withFirstDelay(Duration.ofDays(40)));
        Endpoint ok = webhook(answering(200), null, WebhookSecret.generate());
        Endpoint down = webhook(answering(503), null, WebhookSecret.generate());
        String old1 = enqueue(module, ok.id(), "evt_old1", json("a"));
        String old2 = enqueue(module, ok.id(), "evt_old2", json("b"));
        String oldPending = enqueue(module, down.id(), "evt_old3", json("c"));
        assertEquals(3, module.worker().runOnce());
        clock.advance(Duration.ofDays(31));
        String recent = enqueue(module, ok.id(), "evt_new", json("d"));
        assertEquals(1, module.worker().runOnce());

        Instant cutoff = clock.instant().minus(Duration.ofDays(30));
        assertEquals(1, module.deleteFinishedCreatedBefore(cutoff, 1), "a batch of one");
        assertEquals(1, module.deleteFinishedCreatedBefore(cutoff, 1000));
        assertEquals(0, module.deleteFinishedCreatedBefore(cutoff, 1000), "nothing more is old and finished");
        assertTrue(module.delivery(ok.id(), old1).isEmpty());
        assertTrue(module.delivery(ok.id(), old2).isEmpty());
        long attemptsLeft = db.execute().createQuery("SELECT delivery_id FROM delivery_attempts "
                + "WHERE delivery_id IN ('" + old1 + "', '" + old2 + "')").execute().count();
        assertEquals(0, attemptsLeft, "their attempts went with them");
        Delivery pending = module.delivery(down.id(), oldPending).orElseThrow();
        assertEquals(DeliveryStatus.PENDING, pending.status(), "a pending delivery stays whatever its age");
        assertEquals(1, pending.attempts().size());
        assertEquals(DeliveryStatus.SUCCEEDED, module.delivery(ok.id(), recent).orElseThrow().status());
    }

    @Test
    void goneFailsForGoodAndReportsTheEndpoint() {
        DeliveryModule module = module(settings());
        String path = answering(410);
        Endpoint endpoint = webhook(path, null, WebhookSecret.generate());
        String id = enqueue(module, endpoint.id(), "evt_gone", json("gone"));

        module.worker().runOnce();

        Delivery delivery = module.delivery(endpoint.id(), id).orElseThrow();
        assertEquals(DeliveryStatus.FAILED, delivery.status());
        assertEquals(List.of(endpoint.id()), webhooks.gone());
        assertNull(onlyRequest(path).getHeader("Authorization"), "no Authorization header when none is configured");
        clock.advance(Duration.ofDays(1));
        assertEquals(0, module.worker().runOnce());
        assertEquals(1, requests(path).size());
    }

    @Test
    void aClientErrorIsFinalAfterOneAttempt() {
        DeliveryModule module = module(settings());
        String path = answering(400);
        Endpoint endpoint = webhook(path, null, WebhookSecret.generate());
        String id = enqueue(module, endpoint.id(), "evt_bad", json("bad"));

        module.worker().runOnce();
        clock.advance(Duration.ofDays(1));
        module.worker().runOnce();

        Delivery delivery = module.delivery(endpoint.id(), id).orElseThrow();
        assertEquals(DeliveryStatus.FAILED, delivery.status());
        assertEquals(1, delivery.attempts().size());
        assertEquals(400, delivery.attempts().getFirst().statusCode());
        assertEquals(1, requests(path).size());
        assertEquals(List.of(), webhooks.gone());
    }

    @Test
    void aTimeoutIsRetried() {
        DeliveryModule module = module(settings().withTimeout(Duration.ofMillis(500)));
        String path = "/hook/" + UUID.randomUUID();
        target.stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(200).withFixedDelay(3_000)));
        Endpoint endpoint = webhook(path, null, WebhookSecret.generate());
        String id = enqueue(module, endpoint.id(), "evt_slow", json("slow"));

        module.worker().runOnce();

        Delivery delivery = module.delivery(endpoint.id(), id).orElseThrow();
        assertEquals(DeliveryStatus.PENDING, delivery.status());
        assertEquals("timeout", delivery.attempts().getFirst().outcome());
        assertEquals(clock.instant().plus(FIRST_DELAY), delivery.nextAttemptAt());
    }

    @Test
    void aRefusedConnectionIsRetried() throws IOException {
        DeliveryModule module = module(settings());
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Endpoint endpoint = new Endpoint("wh_refused", URI.create("http://127.0.0.1:" + closedPort + "/hook"), null,
                List.of(WebhookSecret.generate()));
        webhooks.put(endpoint);
        String id = enqueue(module, endpoint.id(), "evt_refused", json("refused"));

        module.worker().runOnce();

        Delivery delivery = module.delivery(endpoint.id(), id).orElseThrow();
        assertEquals(DeliveryStatus.PENDING, delivery.status());
        assertEquals("connection_error", delivery.attempts().getFirst().outcome());
        assertEquals(clock.instant().plus(FIRST_DELAY), delivery.nextAttemptAt());
    }

    @Test
    void aLongerRetryAfterIsHonoured() {
        DeliveryModule module = module(settings());
        String path = "/hook/" + UUID.randomUUID();
        target.stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "45")));
        Endpoint endpoint = webhook(path, null, WebhookSecret.generate());
        String id = enqueue(module, endpoint.id(), "evt_busy", json("busy"));

        module.worker().runOnce();

        Delivery delivery = module.delivery(endpoint.id(), id).orElseThrow();
        assertEquals(DeliveryStatus.PENDING, delivery.status());
        assertEquals(clock.instant().plusSeconds(45), delivery.nextAttemptAt());
    }

    @Test
    void aDeliveryOutOfAttemptsFailsForGood() {
        DeliveryModule module = module(settings());
        String path = answering(503);
        Endpoint endpoint = webhook(path, null, WebhookSecret.generate());
        String id = enqueue(module, endpoint.id(), "evt_down", json("down"));

        module.worker().runOnce();
        clock.advance(FIRST_DELAY);
        module.worker().runOnce();
        clock.advance(SECOND_DELAY);
        module.worker().runOnce();
        clock.advance(Duration.ofDays(1));
        module.worker().runOnce();

        Delivery delivery = module.delivery(endpoint.id(), id).orElseThrow();
        assertEquals(DeliveryStatus.FAILED, delivery.status());
        assertNull(delivery.nextAttemptAt());
        assertEquals(3, delivery.attempts().size(), "two retry delays allow three attempts");
        assertEquals(3, requests(path).size());
    }

    @Test
    void anEndpointDeletedOrDisabledMeanwhileFailsItsDeliveryWithoutARequest() {
        DeliveryModule module = module(settings());
        String path = answering(200);
        Endpoint endpoint = webhook(path, null, WebhookSecret.generate());
        String id = enqueue(module, endpoint.id(), "evt_orphan", json("orphan"));
        webhooks.remove(endpoint.id());
        String unknown = enqueue(module, "xx_nobodyknowsthis", "evt_unknown", json("unknown"));

        module.worker().runOnce();

        assertEquals(0, requests(path).size());
        Delivery orphan = module.delivery(endpoint.id(), id).orElseThrow();
        assertEquals(DeliveryStatus.FAILED, orphan.status());
        assertEquals("blocked", orphan.attempts().getFirst().outcome());
        assertTrue(orphan.attempts().getFirst().error().contains("deleted or disabled"),
                orphan.attempts().getFirst().error());
        Delivery nobody = module.delivery("xx_nobodyknowsthis", unknown).orElseThrow();
        assertEquals(DeliveryStatus.FAILED, nobody.status());
        assertTrue(nobody.attempts().getFirst().error().contains("no endpoint directory"),
                nobody.attempts().getFirst().error());
    }

    @Test
    void duringARotationTheSignatureVerifiesWithEitherSecret() {
        DeliveryModule module = module(settings());
        String path = answering(200);
        WebhookSecret current = WebhookSecret.generate();
        WebhookSecret previous = WebhookSecret.generate();
        Endpoint endpoint = webhook(path, null, current, previous);
        byte[] body = json("rotating");
        enqueue(module, endpoint.id(), "evt_rotate", body);

        module.worker().runOnce();

        LoggedRequest request = onlyRequest(path);
        assertSignedAndSent(request, "evt_rotate", body, List.of(current));
        assertSignedAndSent(request, "evt_rotate", body, List.of(previous));
    }

    @Test
    void alertChannelsAndNotificationWebhooksAreLookedUpInTheirOwnDirectories() {
        DeliveryModule module = module(settings());
        String path = answering(200);
        Endpoint channel = new Endpoint("ch_pager", URI.create(target.baseUrl() + path), null,
                List.of(WebhookSecret.generate()));
        channels.put(channel);
        String id = enqueue(module, channel.id(), "evt_alert", json("alert"));

        module.worker().runOnce();

        assertEquals(DeliveryStatus.SUCCEEDED, module.delivery(channel.id(), id).orElseThrow().status());
        assertEquals(1, requests(path).size());
    }

    // ----------------------------------------------------------------------------------------------------------------
    // durability and concurrency

    @Test
    void aDeliveryClaimedByANodeThatDiedIsTakenOverWhenItsLeaseRunsOut() {
        DeliveryModule dead = module(settings());
        String path = answering(200);
        Endpoint endpoint = webhook(path, null, WebhookSecret.generate());
        String id = enqueue(dead, endpoint.id(), "evt_orphaned", json("orphaned"));
        assertEquals(1, dead.worker().claim().claimed().size(), "the first node claims it, then dies unsent");

        DeliveryModule survivor = module(settings());
        clock.advance(TIMEOUT.plus(LEASE_GRACE).minusMillis(1));
        assertEquals(0, survivor.worker().runOnce(), "the lease still holds");
        assertEquals(0, requests(path).size());

        clock.advance(Duration.ofMillis(1));
        assertEquals(1, survivor.worker().runOnce());

        assertEquals(1, requests(path).size());
        Delivery delivery = survivor.delivery(endpoint.id(), id).orElseThrow();
        assertEquals(DeliveryStatus.SUCCEEDED, delivery.status());
        assertEquals(List.of(1), delivery.attempts().stream().map(StoredAttempt::number).toList());
    }

    @Test
    void twoNodesRacingOverTheSameDueDeliveriesSendEachExactlyOnce() throws Exception {
        DeliveryModule first = module(settings());
        DeliveryModule second = module(settings());
        List<String> paths = new ArrayList<>();
        List<Endpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String path = answering(200);
            paths.add(path);
            endpoints.add(webhook(path, null, WebhookSecret.generate()));
        }
        Set<String> eventIds = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            String eventId = "evt_race_" + i;
            eventIds.add(eventId);
            enqueue(first, endpoints.get(i % endpoints.size()).id(), eventId, json("race " + i));
        }

        ExecutorService nodes = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 30 && first.pending() > 0; round++) {
                CyclicBarrier together = new CyclicBarrier(2);
                Future<Integer> a = nodes.submit(() -> {
                    together.await();
                    return first.worker().runOnce();
                });
                Future<Integer> b = nodes.submit(() -> {
                    together.await();
                    return second.worker().runOnce();
                });
                a.get();
                b.get();
            }
        } finally {
            nodes.shutdownNow();
        }

        assertEquals(0, first.pending());
        List<String> sent = new ArrayList<>();
        paths.forEach(path -> requests(path).forEach(r -> sent.add(r.getHeader("webhook-id"))));
        assertEquals(100, sent.size(), "no delivery was sent twice");
        assertEquals(eventIds, new HashSet<>(sent));
        for (Endpoint endpoint : endpoints) {
            for (Delivery delivery : first.deliveries(endpoint.id(), null, 100)) {
                assertEquals(DeliveryStatus.SUCCEEDED, delivery.status());
                assertEquals(1, delivery.attempts().size());
            }
        }
    }

    @Test
    void oneEndpointsBacklogTakesOnlyItsOwnSlotsAndHidesNoOtherEndpoint() {
        DeliveryModule module = module(settings());
        Endpoint hanging = webhook(answering(200), null, WebhookSecret.generate());
        Endpoint other = webhook(answering(200), null, WebhookSecret.generate());
        for (int i = 0; i < 12; i++) {
            enqueue(module, hanging.id(), "evt_backlog_" + i, json("backlog"));
        }
        clock.advance(Duration.ofMillis(1));
        enqueue(module, other.id(), "evt_other", json("other"));

        DeliveryWorker.Round first = module.worker().claim();
        DeliveryWorker.Round second = module.worker().claim();

        assertEquals(EndpointGuards.SENDS_PER_ENDPOINT, first.claimed().size());
        assertTrue(first.claimed().stream().allMatch(c -> c.endpointId().equals(hanging.id())));
        assertEquals(List.of(other.id()), second.claimed().stream().map(ClaimedDelivery::endpointId).toList(),
                "the next claim skips the saturated endpoint and finds the other one");
    }

    // ----------------------------------------------------------------------------------------------------------------
    // claiming per endpoint

    @Test
    void aClaimTakesAndReadsNoMoreThanTheEndpointsFreeSlots() {
        DeliveryModule module = module(settings());
        Endpoint endpoint = webhook(answering(200), null, WebhookSecret.generate());
        enqueueMany(module, endpoint.id(), 30);

        DeliveryWorker.Round first = module.worker().claim();
        assertEquals(EndpointGuards.SENDS_PER_ENDPOINT, first.claimed().size());
        assertEquals(EndpointGuards.SENDS_PER_ENDPOINT, first.selected(), "read only as many rows as it had slots");

        DeliveryWorker.Round saturated = module.worker().claim();
        assertEquals(0, saturated.selected(), "no query while the endpoint has no free slot");
        assertEquals(List.of(), saturated.claimed());

        for (int i = 0; i < 3; i++) {
            module.guards().release(endpoint.id());
        }
        DeliveryWorker.Round freed = module.worker().claim();
        assertEquals(3, freed.claimed().size(), "exactly the slots that came free");
        assertEquals(3, freed.selected());
        assertEquals(30 - EndpointGuards.SENDS_PER_ENDPOINT - 3, dueNow(endpoint.id()));
    }

    @Test
    void aSaturatedEndpointsBigBacklogHidesNoOtherEndpointsDueDelivery() {
        DeliveryModule module = module(settings());
        Endpoint saturated = webhook(answering(200), null, WebhookSecret.generate());
        Endpoint other = webhook(answering(200), null, WebhookSecret.generate());
        enqueueMany(module, saturated.id(), 1_000);
        assertEquals(EndpointGuards.SENDS_PER_ENDPOINT, module.worker().claim().claimed().size());
        clock.advance(Duration.ofMillis(1));
        String id = enqueue(module, other.id(), "evt_other", json("other"));

        DeliveryWorker.Round round = module.worker().claim();

        assertEquals(List.of(id), round.claimed().stream().map(ClaimedDelivery::id).toList());
        assertEquals(1, round.selected(), "none of the saturated endpoint's backlog was read");
        assertEquals(List.of(), module.worker().claim().claimed());
    }

    @Test
    void anEndpointWithAnOlderBacklogStarvesNoOtherEndpoint() {
        DeliveryModule module = module(settings());
        String backlogPath = answering(200);
        Endpoint backlog = webhook(backlogPath, null, WebhookSecret.generate());
        enqueueMany(module, backlog.id(), 100);
        clock.advance(Duration.ofSeconds(1));
        List<String> paths = new ArrayList<>();
        List<Endpoint> others = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String path = answering(200);
            paths.add(path);
            others.add(webhook(path, null, WebhookSecret.generate()));
            enqueueMany(module, others.getLast().id(), 3);
        }

        module.worker().runOnce();

        for (String path : paths) {
            assertEquals(3, requests(path).size(), "every endpoint is served in the first pass");
        }
        assertTrue(requests(backlogPath).size() >= EndpointGuards.SENDS_PER_ENDPOINT);
    }

    @Test
    void aStartedWorkerSendsAnotherEndpointsDeliveryWhileOneEndpointHangsWithABacklog() {
        DeliveryModule module = module(settings().withTimeout(Duration.ofSeconds(20)));
        String hangingPath = "/hook/" + UUID.randomUUID();
        target.stubFor(post(urlEqualTo(hangingPath)).willReturn(aResponse().withStatus(200).withFixedDelay(3_000)));
        Endpoint hanging = webhook(hangingPath, null, WebhookSecret.generate());
        Endpoint other = webhook(answering(200), null, WebhookSecret.generate());
        module.start();
        enqueueMany(module, hanging.id(), 200);
        module.outbox().wake();
        awaitTrue(() -> requests(hangingPath).size() >= EndpointGuards.SENDS_PER_ENDPOINT);

        String id = enqueue(module, other.id(), "evt_other", json("other"));
        module.outbox().wake();

        awaitTrue(() -> module.delivery(other.id(), id).orElseThrow().status() == DeliveryStatus.SUCCEEDED);
        assertTrue(dueNow(hanging.id()) > 100, "sent while the hanging endpoint's backlog waits");
    }

    @Test
    void aStartedWorkerFindsDeliveriesAnotherNodeWroteAtItsPollWhileBusyWithABacklog() {
        DeliveryModule module = module(settings().withTimeout(Duration.ofSeconds(20)).withPoll(Duration.ofMillis(300)));
        DeliveryModule otherNode = module(settings());
        String slowPath = "/hook/" + UUID.randomUUID();
        target.stubFor(post(urlEqualTo(slowPath)).willReturn(aResponse().withStatus(200).withFixedDelay(500)));
        Endpoint slow = webhook(slowPath, null, WebhookSecret.generate());
        Endpoint other = webhook(answering(200), null, WebhookSecret.generate());
        module.start();
        enqueueMany(module, slow.id(), 160);
        module.outbox().wake();
        awaitTrue(() -> requests(slowPath).size() > EndpointGuards.SENDS_PER_ENDPOINT);

        // Written on the other node, which never wakes this one: only this node's poll can find it.
        String id = enqueue(otherNode, other.id(), "evt_elsewhere", json("elsewhere"));

        awaitTrue(() -> module.delivery(other.id(), id).orElseThrow().status() == DeliveryStatus.SUCCEEDED);
        assertTrue(dueNow(slow.id()) > 0, "found while the busy endpoint still had a backlog");
    }

    @Test
    void aStartedWorkerSendsARetryWhenItFallsDueWithoutWaitingForAPoll() {
        Duration firstDelay = Duration.ofMillis(200);
        DeliveryModule module = module(settings().withFirstDelay(firstDelay));
        String path = failingThenOk(503);
        Endpoint endpoint = webhook(path, null, WebhookSecret.generate());
        module.start();
        String id = enqueue(module, endpoint.id(), "evt_retry", json("retry"));
        module.outbox().wake();
        awaitTrue(() -> module.delivery(endpoint.id(), id).orElseThrow().attemptCount() == 1);

        clock.advance(firstDelay);

        awaitTrue(() -> module.delivery(endpoint.id(), id).orElseThrow().status() == DeliveryStatus.SUCCEEDED);
        assertEquals(2, requests(path).size());
    }

    @Test
    void aStartedWorkerSendsARetryAnotherNodeScheduledWhenItFallsDue() {
        Duration firstDelay = Duration.ofMillis(200);
        DeliveryModule otherNode = module(settings().withFirstDelay(firstDelay));
        DeliveryModule module = module(settings().withFirstDelay(firstDelay));
        String path = failingThenOk(503);
        Endpoint endpoint = webhook(path, null, WebhookSecret.generate());
        String id = enqueue(otherNode, endpoint.id(), "evt_elsewhere", json("elsewhere"));
        otherNode.worker().runOnce();
        assertEquals(clock.instant().plus(firstDelay), module.delivery(endpoint.id(), id).orElseThrow().nextAttemptAt());

        module.start();
        clock.advance(firstDelay);

        awaitTrue(() -> module.delivery(endpoint.id(), id).orElseThrow().status() == DeliveryStatus.SUCCEEDED);
    }

    @Test
    void anOpenCircuitPutsDeliveriesBackWithoutUsingAttemptsUntilAProbeSucceeds() {
        DeliveryModule module = module(settings());
        String path = "/hook/" + UUID.randomUUID();
        target.stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(503)));
        Endpoint endpoint = webhook(path, null, WebhookSecret.generate());
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < EndpointGuards.FAILURES_TO_OPEN; i++) {
            ids.add(enqueue(module, endpoint.id(), "evt_breaker_" + i, json("breaker")));
        }
        module.worker().runOnce();
        assertEquals(EndpointGuards.FAILURES_TO_OPEN, requests(path).size());

        clock.advance(FIRST_DELAY);
        assertEquals(ids.size(), module.worker().runOnce(), "claimed, but not sent");
        assertEquals(EndpointGuards.FAILURES_TO_OPEN, requests(path).size());
        for (String id : ids) {
            Delivery delivery = module.delivery(endpoint.id(), id).orElseThrow();
            assertEquals(DeliveryStatus.PENDING, delivery.status());
            assertEquals(1, delivery.attemptCount(), "no attempt used up");
            assertEquals(clock.instant().plus(BREAKER_WAIT), delivery.nextAttemptAt());
        }

        target.stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(200)));
        clock.advance(BREAKER_WAIT);
        module.worker().runOnce();
        clock.advance(BREAKER_WAIT);
        module.worker().runOnce();

        assertEquals(2 * EndpointGuards.FAILURES_TO_OPEN, requests(path).size());
        for (String id : ids) {
            Delivery delivery = module.delivery(endpoint.id(), id).orElseThrow();
            assertEquals(DeliveryStatus.SUCCEEDED, delivery.status());
            assertEquals(List.of("http_error", "success"),
                    delivery.attempts().stream().map(StoredAttempt::outcome).toList());
        }
    }

    @Test
    void aStartedWorkerSendsAsSoonAsItIsWoken() {
        DeliveryModule module = module(settings());
        String path = answering(200);
        Endpoint endpoint = webhook(path, null, WebhookSecret.generate());
        module.start();
        String id = enqueue(module, endpoint.id(), "evt_woken", json("woken"));

        module.outbox().wake();

        awaitTrue(() -> module.delivery(endpoint.id(), id).orElseThrow().status() == DeliveryStatus.SUCCEEDED);
    }

    @Test
    void closeWaitsForTheAttemptInFlightAndRecordsIt() {
        DeliveryModule module = module(settings());
        String path = "/hook/" + UUID.randomUUID();
        target.stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(200).withFixedDelay(1_000)));
        Endpoint endpoint = webhook(path, null, WebhookSecret.generate());
        module.start();
        String id = enqueue(module, endpoint.id(), "evt_closing", json("closing"));
        module.outbox().wake();
        awaitTrue(() -> requests(path).size() == 1);

        module.close();

        Delivery delivery = module.delivery(endpoint.id(), id).orElseThrow();
        assertEquals(DeliveryStatus.SUCCEEDED, delivery.status());
        assertEquals(1, delivery.attempts().size());
    }

    // ----------------------------------------------------------------------------------------------------------------
    // redelivery, pings, the log

    @Test
    void redeliverSendsTheSameEventAgainWithAFreshBudget() {
        DeliveryModule module = module(settings());
        String path = answering(503);
        Endpoint endpoint = webhook(path, null, WebhookSecret.generate());
        String id = enqueue(module, endpoint.id(), "evt_again", json("again"));
        module.worker().runOnce();
        clock.advance(FIRST_DELAY);
        module.worker().runOnce();
        clock.advance(SECOND_DELAY);
        module.worker().runOnce();
        assertEquals(DeliveryStatus.FAILED, module.delivery(endpoint.id(), id).orElseThrow().status());

        Delivery requeued = module.redeliver(endpoint.id(), id).orElseThrow();
        assertEquals(DeliveryStatus.PENDING, requeued.status());
        assertEquals(clock.instant(), requeued.nextAttemptAt());
        module.worker().runOnce();

        Delivery delivery = module.delivery(endpoint.id(), id).orElseThrow();
        assertEquals(DeliveryStatus.PENDING, delivery.status(), "a fresh budget: the fourth failure is retried");
        assertEquals(clock.instant().plus(FIRST_DELAY), delivery.nextAttemptAt());
        assertEquals(List.of(1, 2, 3, 4), delivery.attempts().stream().map(StoredAttempt::number).toList());

        target.stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(204)));
        clock.advance(FIRST_DELAY);
        module.worker().runOnce();
        assertEquals(DeliveryStatus.SUCCEEDED, module.delivery(endpoint.id(), id).orElseThrow().status());
        List<LoggedRequest> requests = requests(path);
        assertEquals(5, requests.size());
        assertTrue(requests.stream().allMatch(r -> r.getHeader("webhook-id").equals("evt_again")));

        assertTrue(module.redeliver("wh_someoneelse", id).isEmpty(), "another endpoint's delivery is not found");
        assertTrue(module.redeliver(endpoint.id(), "dlv_missing").isEmpty());
    }

    @Test
    void sendNowSendsOnceAndRecordsOneAttempt() {
        DeliveryModule module = module(settings());
        String okPath = answering(200);
        String failingPath = answering(500);
        WebhookSecret secret = WebhookSecret.generate();
        Endpoint ok = webhook(okPath, "Basic c3Vic2NyaWJlcg==", secret);
        Endpoint failing = webhook(failingPath, null, WebhookSecret.generate());
        byte[] body = json("ping");

        Delivery ping = module.sendNow(new NewDelivery(ok.id(), "evt_ping", "webhook.ping", body));
        Delivery failedPing = module.sendNow(new NewDelivery(failing.id(), "evt_ping2", "webhook.ping", body));

        assertEquals(DeliveryStatus.SUCCEEDED, ping.status());
        assertEquals(1, ping.attempts().size());
        assertEquals(200, ping.attempts().getFirst().statusCode());
        LoggedRequest request = onlyRequest(okPath);
        assertEquals("webhook.ping", request.getHeader("X-Cronhook-Event"));
        assertEquals("Basic c3Vic2NyaWJlcg==", request.getHeader("Authorization"));
        assertTrue(new SignatureVerifier(clock).verifyStandard(headers(request), body, List.of(secret)).isVerified());
        assertEquals(DeliveryStatus.FAILED, failedPing.status());
        assertEquals(1, failedPing.attempts().size());
        assertEquals(0, module.pending());
        assertEquals(List.of(ping), module.deliveries(ok.id(), null, 10));

        clock.advance(Duration.ofDays(1));
        module.worker().runOnce();
        assertEquals(1, requests(failingPath).size(), "a ping is never retried");
    }

    @Test
    void deliveriesAreListedNewestFirstWithCursorsAndForgottenWithTheirEndpoint() {
        DeliveryModule module = module(settings());
        Endpoint endpoint = webhook(answering(200), null, WebhookSecret.generate());
        Endpoint other = webhook(answering(200), null, WebhookSecret.generate());
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(enqueue(module, endpoint.id(), "evt_list_" + i, json("list " + i)));
            clock.advance(Duration.ofMillis(1));
        }
        String otherId = enqueue(module, other.id(), "evt_other", json("other"));
        assertEquals(4, module.pending());

        List<Delivery> page = module.deliveries(endpoint.id(), null, 2);
        assertEquals(List.of(ids.get(2), ids.get(1)), page.stream().map(Delivery::id).toList());
        List<Delivery> rest = module.deliveries(endpoint.id(), page.getLast().id(), 2);
        assertEquals(List.of(ids.get(0)), rest.stream().map(Delivery::id).toList());
        Delivery first = rest.getFirst();
        assertEquals("evt_list_0", first.eventId());
        assertEquals(EVENT_TYPE, first.eventType());
        assertEquals(DeliveryStatus.PENDING, first.status());
        assertEquals(List.of(), first.attempts());
        assertTrue(module.delivery(other.id(), ids.getFirst()).isEmpty(), "only under its own endpoint");

        module.forget(endpoint.id());

        assertEquals(List.of(), module.deliveries(endpoint.id(), null, 10));
        assertEquals(1, module.pending());
        assertEquals(otherId, module.deliveries(other.id(), null, 10).getFirst().id());
    }

    @Test
    void anEventIsQueuedOnlyWhenTheCallersTransactionCommits() {
        DeliveryModule module = module(settings());
        Endpoint endpoint = webhook(answering(200), null, WebhookSecret.generate());

        assertThrows(IllegalStateException.class, () -> Transactions.inTransaction(db, tx -> {
            module.outbox().enqueue(tx, new NewDelivery(endpoint.id(), "evt_rolled_back", EVENT_TYPE, json("x")));
            throw new IllegalStateException("the caller's work failed");
        }));

        assertEquals(0, module.pending());
        assertEquals(List.of(), module.deliveries(endpoint.id(), null, 10));
    }

    @Test
    void aBodyThatIsNotUtf8TextIsRefused() {
        DeliveryModule module = module(settings());
        byte[] notUtf8 = {'{', (byte) 0xC3, '}'};

        assertThrows(IllegalArgumentException.class, () -> Transactions.inTransaction(db,
                tx -> module.outbox().enqueue(tx, new NewDelivery("wh_x", "evt_x", EVENT_TYPE, notUtf8))));
        assertFalse(module.pending() > 0);
    }

    // ----------------------------------------------------------------------------------------------------------------
    // helpers

    private record TestSettings(Duration timeout, Duration poll, Duration firstDelay) {
        DeliverySettings build() {
            return DeliverySettings.defaults().withRetryDelays(List.of(firstDelay, SECOND_DELAY))
                    .withTimeout(timeout).withPollInterval(poll).withClaimBatch(10).withLeaseGrace(LEASE_GRACE)
                    .withBreakerWait(BREAKER_WAIT);
        }

        TestSettings withTimeout(Duration value) {
            return new TestSettings(value, poll, firstDelay);
        }

        TestSettings withPoll(Duration value) {
            return new TestSettings(timeout, value, firstDelay);
        }

        TestSettings withFirstDelay(Duration value) {
            return new TestSettings(timeout, poll, value);
        }
    }

    private static TestSettings settings() {
        return new TestSettings(TIMEOUT, POLL, FIRST_DELAY);
    }

    private DeliveryModule module(TestSettings settings) {
        DeliveryModule module = DeliveryModule.create(database.dataSource(), db, sender, clock, settings.build(),
                new NodeHeartbeat(db, clock, "test", NodeHeartbeat.Settings.defaults(true)));
        module.register("wh", webhooks);
        module.register("ch", channels);
        modules.add(module);
        return module;
    }

    private String enqueue(DeliveryModule module, String endpointId, String eventId, byte[] body) {
        return Transactions.inTransaction(db,
                tx -> module.outbox().enqueue(tx, new NewDelivery(endpointId, eventId, EVENT_TYPE, body)));
    }

    /** {@code count} deliveries to one endpoint, all due now, in one transaction. */
    private void enqueueMany(DeliveryModule module, String endpointId, int count) {
        Transactions.inTransaction(db, tx -> {
            for (int i = 0; i < count; i++) {
                module.outbox().enqueue(tx, new NewDelivery(endpointId, "evt_" + UUID.randomUUID(), EVENT_TYPE,
                        json("backlog " + i)));
            }
            return null;
        });
    }

    /** The endpoint's deliveries due and not claimed, as the test clock sees it. */
    private long dueNow(String endpointId) {
        return db.execute().createGet("SELECT COUNT(*) AS due FROM deliveries WHERE endpoint_id = :endpoint_id "
                        + "AND next_attempt_at <= :now")
                .addParam("endpoint_id", endpointId)
                .addParam("now", Rows.at(clock.instant()))
                .execute()
                .map(row -> Rows.number(row, "due"))
                .orElseThrow();
    }

    private Endpoint webhook(String path, String authorization, WebhookSecret... secrets) {
        Endpoint endpoint = new Endpoint("wh_" + UUID.randomUUID().toString().replace("-", ""),
                URI.create(target.baseUrl() + path), authorization, List.of(secrets));
        webhooks.put(endpoint);
        return endpoint;
    }

    private String answering(int status) {
        String path = "/hook/" + UUID.randomUUID();
        target.stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(status).withBody("status " + status)));
        return path;
    }

    private String failingThenOk(int firstStatus) {
        String path = "/hook/" + UUID.randomUUID();
        target.stubFor(post(urlEqualTo(path)).inScenario(path).whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(firstStatus)).willSetStateTo("recovered"));
        target.stubFor(post(urlEqualTo(path)).inScenario(path).whenScenarioStateIs("recovered")
                .willReturn(aResponse().withStatus(200)));
        return path;
    }

    private List<LoggedRequest> requests(String path) {
        return target.findAll(postRequestedFor(urlEqualTo(path)));
    }

    private LoggedRequest onlyRequest(String path) {
        List<LoggedRequest> requests = requests(path);
        assertEquals(1, requests.size(), "requests to " + path);
        return requests.getFirst();
    }

    /** Checks the request as a subscriber would, at the time it arrived (the test clock has not moved since). */
    private void assertSignedAndSent(LoggedRequest request, String eventId, byte[] body, List<WebhookSecret> secrets) {
        assertEquals("application/json", request.getHeader("Content-Type"));
        assertEquals(EVENT_TYPE, request.getHeader("X-Cronhook-Event"));
        assertEquals(eventId, request.getHeader("webhook-id"));
        assertArrayEquals(body, request.getBody());
        assertTrue(new SignatureVerifier(clock).verifyStandard(headers(request), body, secrets).isVerified(),
                "Standard Webhooks signature verifies");
        if (secrets.size() == 1) {
            assertEquals(Long.toString(clock.instant().getEpochSecond()), request.getHeader("webhook-timestamp"));
        }
    }

    private static Map<String, String> headers(LoggedRequest request) {
        Map<String, String> headers = new HashMap<>();
        for (HttpHeader header : request.getHeaders().all()) {
            headers.put(header.key(), header.firstValue());
        }
        return headers;
    }

    private static byte[] json(String note) {
        return ("{\"note\":\"" + note + "\"}").getBytes(UTF_8);
    }

    private static void awaitTrue(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20 s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
