package dev.cronhook.incident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The batching of openings, with a stand-in for the transaction that applies a batch. */
class OpeningsTest {
    private static final Integration SOURCE = new Integration("int_1", "source", IntegrationType.GENERIC, false, null,
            Severity.SEV2, false, Instant.EPOCH, Instant.EPOCH);

    private static IncidentEngine.Keyed event(String key) {
        return new IncidentEngine.Keyed(SOURCE, new ParsedEvent.Trigger(key, key, null, null, null), key);
    }

    private static List<IntakeResult> openAll(List<IncidentEngine.Keyed> batch) {
        return batch.stream().map(e -> new IntakeResult(IntakeAction.OPENED, "inc_" + e.key())).toList();
    }

    @Test
    void eventsThatArriveWhileABatchIsWrittenGoIntoTheNextOne() throws Exception {
        CountDownLatch firstBatchStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> sizes = new CopyOnWriteArrayList<>();
        Function<List<IncidentEngine.Keyed>, List<IntakeResult>> slow = batch -> {
            sizes.add(batch.size());
            firstBatchStarted.countDown();
            await(release);
            return openAll(batch);
        };
        ExecutorService clients = Executors.newFixedThreadPool(6);
        try (Openings openings = new Openings(slow)) {
            Future<IntakeResult> first = clients.submit(() -> openings.apply(event("a")));
            assertTrue(firstBatchStarted.await(5, TimeUnit.SECONDS));
            List<Future<IntakeResult>> later = new ArrayList<>();
            for (String key : List.of("b", "c", "d", "e", "f")) {
                later.add(clients.submit(() -> openings.apply(event(key))));
            }
            awaitBacklog(openings, 5);
            release.countDown();

            assertEquals(new IntakeResult(IntakeAction.OPENED, "inc_a"), first.get(5, TimeUnit.SECONDS));
            for (int i = 0; i < later.size(); i++) {
                assertEquals("inc_" + "bcdef".charAt(i), later.get(i).get(5, TimeUnit.SECONDS).incidentId());
            }
            assertEquals(List.of(1, 5), sizes, "one batch for the first event, one for those that waited");
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void anEventTheDatabaseRefusesFailsAloneAndTheOthersOfItsBatchAreApplied() throws Exception {
        CountDownLatch firstBatchStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Function<List<IncidentEngine.Keyed>, List<IntakeResult>> refusesBad = batch -> {
            firstBatchStarted.countDown();
            await(release);
            if (batch.stream().anyMatch(e -> e.key().equals("bad"))) {
                throw new IllegalArgumentException("value too long");
            }
            return openAll(batch);
        };
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try (Openings openings = new Openings(refusesBad)) {
            Future<IntakeResult> first = clients.submit(() -> openings.apply(event("a")));
            assertTrue(firstBatchStarted.await(5, TimeUnit.SECONDS));
            Future<IntakeResult> good = clients.submit(() -> openings.apply(event("good")));
            Future<IntakeResult> bad = clients.submit(() -> openings.apply(event("bad")));
            Future<IntakeResult> alsoGood = clients.submit(() -> openings.apply(event("also-good")));
            awaitBacklog(openings, 3);
            release.countDown();

            assertEquals("inc_a", first.get(5, TimeUnit.SECONDS).incidentId());
            assertEquals("inc_good", good.get(5, TimeUnit.SECONDS).incidentId());
            assertEquals("inc_also-good", alsoGood.get(5, TimeUnit.SECONDS).incidentId());
            var failure = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> bad.get(5, TimeUnit.SECONDS));
            assertEquals(IllegalArgumentException.class, failure.getCause().getClass(),
                    "the caller gets the database's error itself");
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void afterCloseEventsAreRefused() {
        Openings openings = new Openings(OpeningsTest::openAll);
        assertEquals("inc_a", openings.apply(event("a")).incidentId());

        openings.close();

        assertThrows(IllegalStateException.class, () -> openings.apply(event("b")));
    }

    private static void awaitBacklog(Openings openings, int events) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (openings.backlog() < events && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(events, openings.backlog(), "events waiting for the next batch");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
