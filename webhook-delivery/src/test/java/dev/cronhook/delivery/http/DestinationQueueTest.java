package dev.cronhook.delivery.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cronhook.delivery.attempts.AttemptResult;
import dev.cronhook.delivery.attempts.Outcome;
import dev.cronhook.delivery.signing.RequestSigner;
import dev.cronhook.delivery.signing.WebhookSecret;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The queue per destination in front of the connections: a burst larger than the cap waits its turn instead of
 * failing, on no more connections than the cap; a request is built, signed and timed from the moment it is sent; a
 * destination that is down fails fast without holding up another one.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DestinationQueueTest {
    private static final String USER_AGENT = "Cronhook/1.2.3-test";
    private static final WebhookSecret SECRET = WebhookSecret.generate();

    private static HttpSender sender(int connections) {
        return new HttpSender(Clock.systemUTC(), USER_AGENT,
                HttpSender.Config.defaults().withConnectionsPerDestination(connections));
    }

    /** A POST signed at the moment it is sent, as job attempts and deliveries are. */
    private static Function<Instant, OutgoingRequest> signedPost(URI url, String id, Duration timeout) {
        byte[] body = ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8);
        return sentAt -> new OutgoingRequest(url, "POST",
                RequestSigner.signatureHeaders(id, sentAt, body, List.of(SECRET)), body, timeout);
    }

    private static List<AttemptResult> results(List<PendingSend> sends) {
        return sends.stream().map(send -> send.result().join()).toList();
    }

    @Test
    void aBurstLargerThanTheCapWaitsItsTurnOnNoMoreConnectionsThanTheCap() throws Exception {
        try (CountingTarget target = new CountingTarget(200); HttpSender sender = sender(4)) {
            List<PendingSend> sends = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                sends.add(sender.submit(target.url("/hook"), signedPost(target.url("/hook"), "msg_" + i,
                        Duration.ofSeconds(1))));
            }

            List<AttemptResult> results = results(sends);

            results.forEach(result -> assertEquals(Outcome.SUCCESS, result.outcome(), result.toString()));
            assertTrue(target.maxOpenConnections() <= 4, "open at once: " + target.maxOpenConnections());
            assertTrue(target.maxInFlight() <= 4, "in flight at once: " + target.maxInFlight());
            assertEquals(4, target.maxInFlight(), "the cap is used, not just respected");
            // Kept alive: the 40 requests went over the 4 connections.
            assertEquals(4, target.acceptedConnections());
            // Ten rounds of 200 ms: the last ones waited for about nine of them, and each still took about 200 ms.
            long longestWait = results.stream().mapToLong(AttemptResult::queuedMillis).max().orElseThrow();
            assertTrue(longestWait >= 1_500, "longest wait " + longestWait + " ms");
            results.forEach(result -> assertTrue(result.durationMillis() < 1_000, result.toString()));
        }
    }

    @Test
    void requestsDueNowGoBeforeABacklogWaitingForTheSameDestination() throws Exception {
        try (CountingTarget target = new CountingTarget(200); HttpSender sender = sender(1)) {
            URI url = target.url("/hook");
            List<PendingSend> backlog = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                backlog.add(sender.submit(url, Lane.BACKLOG, signedPost(url, "msg_backlog_" + i, Duration.ofSeconds(5))));
            }
            List<PendingSend> onTime = List.of(
                    sender.submit(url, signedPost(url, "msg_now_0", Duration.ofSeconds(5))),
                    sender.submit(url, Lane.ON_TIME, signedPost(url, "msg_now_1", Duration.ofSeconds(5))));

            List<AttemptResult> backlogResults = results(backlog);
            List<AttemptResult> onTimeResults = results(onTime);

            backlogResults.forEach(result -> assertEquals(Outcome.SUCCESS, result.outcome(), result.toString()));
            onTimeResults.forEach(result -> assertEquals(Outcome.SUCCESS, result.outcome(), result.toString()));
            // The first of the backlog was under way when they came; the other four waited for both.
            Instant lastOnTime = onTimeResults.get(1).startedAt();
            assertTrue(onTimeResults.get(0).startedAt().isBefore(lastOnTime));
            for (AttemptResult waited : backlogResults.subList(1, 5)) {
                assertTrue(waited.startedAt().isAfter(lastOnTime), waited + " went before " + lastOnTime);
            }
            // In arrival order within the backlog.
            for (int i = 1; i < 5; i++) {
                assertTrue(backlogResults.get(i).startedAt().isAfter(backlogResults.get(i - 1).startedAt()));
            }
        }
    }

    @Test
    void aRequestThatWaitedLongerThanItsTimeoutGetsItsFullTimeoutAndAFreshTimestamp() throws Exception {
        try (CountingTarget target = new CountingTarget(700); HttpSender sender = sender(1)) {
            URI url = target.url("/hook");
            Instant submitted = Instant.now();
            List<PendingSend> sends = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                sends.add(sender.submit(url, signedPost(url, "msg_" + i, Duration.ofSeconds(1))));
            }

            List<AttemptResult> results = results(sends);

            // The fourth waited for three answers of 700 ms, twice its own timeout, and then got its full second.
            AttemptResult last = results.getLast();
            assertEquals(Outcome.SUCCESS, last.outcome(), last.toString());
            assertTrue(last.queuedMillis() >= 2_000, last.toString());
            assertTrue(last.durationMillis() >= 650 && last.durationMillis() < 1_000, last.toString());
            assertFalse(last.startedAt().isBefore(submitted.plusMillis(2_000)), last.toString());
            // Signed when it was sent: its webhook-timestamp is that moment, not the moment it was queued.
            String head = target.heads().getLast();
            assertTrue(head.contains("webhook-id: msg_3"), head);
            long timestamp = Long.parseLong(head.lines().filter(line -> line.startsWith("webhook-timestamp:"))
                    .findFirst().orElseThrow().substring("webhook-timestamp:".length()).trim());
            assertEquals(last.startedAt().getEpochSecond(), timestamp);
            assertTrue(timestamp >= submitted.getEpochSecond() + 2, "timestamp " + timestamp);
        }
    }

    @Test
    void aClosedPortFailsFastWhileAnotherDestinationsRequestsFlow() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        URI closed = URI.create("http://127.0.0.1:" + closedPort + "/hook");
        try (CountingTarget healthy = new CountingTarget(50); HttpSender sender = sender(2)) {
            long begin = System.nanoTime();
            List<PendingSend> toClosed = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                toClosed.add(sender.submit(closed, signedPost(closed, "msg_" + i, Duration.ofSeconds(5))));
            }
            List<PendingSend> toHealthy = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                toHealthy.add(sender.submit(healthy.url("/hook"), signedPost(healthy.url("/hook"), "ok_" + i,
                        Duration.ofSeconds(5))));
            }

            results(toHealthy).forEach(result -> assertEquals(Outcome.SUCCESS, result.outcome(), result.toString()));
            results(toClosed).forEach(result -> {
                assertEquals(Outcome.CONNECTION_ERROR, result.outcome(), result.toString());
                assertTrue(result.retryable());
            });
            assertTrue(System.nanoTime() - begin < TimeUnit.SECONDS.toNanos(5), "took "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin) + " ms");
        }
    }

    @Test
    void aListenerThatNeverAcceptsOpensTheCircuitAndItsQueueFailsFast() throws Exception {
        // Backlog 1 and no accept(): a connection or two complete into the backlog, every later connect times out.
        try (ServerSocket blackHole = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             CountingTarget healthy = new CountingTarget(20);
             HttpSender sender = new HttpSender(Clock.systemUTC(), USER_AGENT, HttpSender.Config.defaults()
                     .withConnectionsPerDestination(4).withConnectTimeout(Duration.ofMillis(300))
                     .withCircuit(3, Duration.ofSeconds(30)))) {
            URI dead = URI.create("http://127.0.0.1:" + blackHole.getLocalPort() + "/hook");
            long begin = System.nanoTime();
            List<PendingSend> toDead = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                toDead.add(sender.submit(dead, signedPost(dead, "msg_" + i, Duration.ofSeconds(2))));
            }
            // Meanwhile another destination is served at once, though the dead one's queue is long.
            List<PendingSend> toHealthy = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                toHealthy.add(sender.submit(healthy.url("/hook"), signedPost(healthy.url("/hook"), "ok_" + i,
                        Duration.ofSeconds(5))));
            }
            results(toHealthy).forEach(result -> assertEquals(Outcome.SUCCESS, result.outcome(), result.toString()));
            assertTrue(System.nanoTime() - begin < TimeUnit.SECONDS.toNanos(2), "the healthy destination waited");

            List<AttemptResult> results = results(toDead);

            // Without the circuit the queue would take 200 / 4 connects of 300 ms: 15 s. With it, about the request
            // timeout of the few requests that did get a connection into the backlog.
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
            assertTrue(tookMillis < 6_000, "took " + tookMillis + " ms");
            long failedAtOnce = results.stream().filter(result -> result.outcome() == Outcome.CONNECTION_ERROR
                    && result.error().startsWith("not sent: connecting to 127.0.0.1:" + blackHole.getLocalPort()
                    + " timed out again and again")).count();
            assertTrue(failedAtOnce >= 180, "failed at once: " + failedAtOnce + " of " + results);
            results.forEach(result -> {
                assertTrue(result.retryable(), result.toString());
                assertTrue(result.outcome() == Outcome.CONNECTION_ERROR || result.outcome() == Outcome.TIMEOUT,
                        result.toString());
            });
            assertEquals(1, sender.stats().openCircuits());
        }
    }

    @Test
    void aHangingDestinationHoldsItsOwnConnectionsOnlyAndItsQueueWaitsRatherThanFails() throws Exception {
        try (CountingTarget hanging = new CountingTarget(3_000); CountingTarget other = new CountingTarget(0);
             HttpSender sender = sender(2)) {
            URI slow = hanging.url("/slow");
            List<PendingSend> queued = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                queued.add(sender.submit(slow, signedPost(slow, "msg_" + i, Duration.ofSeconds(1))));
            }

            AttemptResult elsewhere = sender.send(new OutgoingRequest(other.url("/hook"), "GET", Map.of(), null,
                    Duration.ofSeconds(1)));

            assertEquals(Outcome.SUCCESS, elsewhere.outcome());
            assertTrue(elsewhere.queuedMillis() < 100, elsewhere.toString());
            List<AttemptResult> results = results(queued);
            // All three time out after their own full second; the third only once a connection was free.
            results.forEach(result -> assertEquals(Outcome.TIMEOUT, result.outcome(), result.toString()));
            assertTrue(results.get(2).queuedMillis() >= 900, results.get(2).toString());
            assertTrue(results.get(2).durationMillis() >= 950, results.get(2).toString());
        }
    }

    @Test
    void aConnectionReusedAfterIdlingIsCheckedAndStillWaitsTheFullTimeForItsAnswer() throws Exception {
        try (CountingTarget target = new CountingTarget(200); HttpSender sender = sender(4)) {
            URI url = target.url("/hook");
            assertEquals(Outcome.SUCCESS, sender.submit(url, signedPost(url, "msg_0", Duration.ofSeconds(2)))
                    .await().outcome());
            Thread.sleep(2_200); // idle long enough to be checked before reuse

            AttemptResult again = sender.submit(url, signedPost(url, "msg_1", Duration.ofSeconds(2))).await();

            assertEquals(Outcome.SUCCESS, again.outcome(), again.toString());
            assertEquals(1, target.acceptedConnections(), "the idle connection was reused");
        }
    }

    @Test
    void aWithdrawnRequestIsNeverSentAndAClosedSenderWithdrawsWhatWaits() throws Exception {
        CountingTarget target = new CountingTarget(500);
        HttpSender sender = sender(1);
        try (target) {
            URI url = target.url("/hook");
            PendingSend first = sender.submit(url, signedPost(url, "msg_0", Duration.ofSeconds(2)));
            PendingSend withdrawn = sender.submit(url, signedPost(url, "msg_1", Duration.ofSeconds(2)));
            PendingSend leftWaiting = sender.submit(url, signedPost(url, "msg_2", Duration.ofSeconds(2)));

            assertTrue(withdrawn.withdraw());
            assertFalse(withdrawn.started());
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!first.started()) {
                assertTrue(System.nanoTime() < giveUp, "the first request never started");
                Thread.sleep(5);
            }
            CompletableFuture<AttemptResult> firstResult = first.result();
            sender.close(); // the first is under way: it is waited for; the others still wait: they are withdrawn

            assertEquals(Outcome.SUCCESS, firstResult.join().outcome());
            assertTrue(withdrawn.result().isCancelled());
            assertTrue(leftWaiting.result().isCancelled());
            assertThrows(CancellationException.class, leftWaiting::await);
            assertEquals(1, target.heads().size(), "only the first was sent: " + target.heads());
        } finally {
            sender.close();
        }
    }
}
