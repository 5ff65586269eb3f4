package dev.cronhook.common.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Batching, retries and closing of the group-commit writer, with writers of the test's own; the fallback to one by
 * one against a real database is in {@link GroupCommitPostgresTest}.
 */
class GroupCommitTest {
    private static final GroupCommit.Settings SETTINGS =
            new GroupCommit.Settings("test-writer", 100, 1, Duration.ofMillis(10), Duration.ofSeconds(5));

    private static List<String> echo(List<String> batch) {
        return batch.stream().map(item -> "wrote " + item).toList();
    }

    @Test
    void itemsThatArriveWhileABatchIsWrittenGoIntoTheNextOne() throws Exception {
        CountDownLatch firstBatchStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> sizes = new CopyOnWriteArrayList<>();
        try (GroupCommit<String, String> commits = new GroupCommit<>(SETTINGS, batch -> {
            sizes.add(batch.size());
            firstBatchStarted.countDown();
            await(release);
            return echo(batch);
        })) {
            CompletableFuture<String> first = commits.submit("a");
            assertTrue(firstBatchStarted.await(5, TimeUnit.SECONDS));
            List<CompletableFuture<String>> later = new ArrayList<>();
            for (String item : List.of("b", "c", "d", "e", "f")) {
                later.add(commits.submit(item));
            }
            assertEquals(5, commits.backlog(), "items waiting for the next batch");
            release.countDown();

            assertEquals("wrote a", first.get(5, TimeUnit.SECONDS));
            for (int i = 0; i < later.size(); i++) {
                assertEquals("wrote " + "bcdef".charAt(i), later.get(i).get(5, TimeUnit.SECONDS));
            }
            assertEquals(List.of(1, 5), sizes, "one batch for the first item, one for those that waited");
        }
    }

    @Test
    void aBatchIsWrittenAgainWholeWhileTheDatabaseIsAwayAndNothingIsLost() throws Exception {
        CountDownLatch firstBatchStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        List<List<String>> batches = new CopyOnWriteArrayList<>();
        GroupCommit.Settings untilBack = new GroupCommit.Settings("test-writer", 100, Integer.MAX_VALUE,
                Duration.ofMillis(10), Duration.ofSeconds(5));
        try (GroupCommit<String, String> commits = new GroupCommit<>(untilBack, batch -> {
            batches.add(batch);
            int call = calls.incrementAndGet();
            if (call == 1) {
                firstBatchStarted.countDown();
                await(release);
            } else if (call <= 4) {
                throw new IllegalStateException("no connection", new SQLTransientConnectionException("pool empty"));
            }
            return echo(batch);
        })) {
            CompletableFuture<String> first = commits.submit("x");
            assertTrue(firstBatchStarted.await(5, TimeUnit.SECONDS));
            List<CompletableFuture<String>> written = new ArrayList<>();
            for (String item : List.of("a", "b", "c")) {
                written.add(commits.submit(item));
            }
            release.countDown();

            assertEquals("wrote x", first.get(5, TimeUnit.SECONDS));
            for (int i = 0; i < written.size(); i++) {
                assertEquals("wrote " + "abc".charAt(i), written.get(i).get(5, TimeUnit.SECONDS));
            }
        }
        List<String> abc = List.of("a", "b", "c");
        assertEquals(List.of(List.of("x"), abc, abc, abc, abc), batches,
                "three failed tries of the whole batch, then the one that went through; never split");
    }

    @Test
    void withOneTryABatchTheDatabaseCouldNotTakeFailsAtOnceAndWhole() throws Exception {
        List<List<String>> batches = new CopyOnWriteArrayList<>();
        RuntimeException away = new IllegalStateException("no connection",
                new SQLTransientConnectionException("pool empty"));
        try (GroupCommit<String, String> commits = new GroupCommit<>(SETTINGS, batch -> {
            batches.add(batch);
            throw away;
        })) {
            ExecutionException failure = assertThrows(ExecutionException.class,
                    () -> commits.submit("a").get(5, TimeUnit.SECONDS));
            assertSame(away, failure.getCause(), "the caller hears the writer's own exception");
        }
        assertEquals(List.of(List.of("a")), batches, "tried once, not again one by one");
    }

    @Test
    void closingWritesWhatIsQueuedAndRefusesWhatComesLater() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        GroupCommit<String, String> commits = new GroupCommit<>(SETTINGS, batch -> {
            await(release);
            return echo(batch);
        });
        CompletableFuture<String> queued = commits.submit("a");
        Thread closer = Thread.ofVirtual().start(commits::close);
        // close() waits for the writer; release it once the closer is in.
        Thread.sleep(50);
        release.countDown();
        closer.join(5_000);

        assertEquals("wrote a", queued.get(5, TimeUnit.SECONDS));
        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> commits.submit("b").get(5, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, refused.getCause());
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
