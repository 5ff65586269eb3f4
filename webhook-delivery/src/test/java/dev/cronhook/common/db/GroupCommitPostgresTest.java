package dev.cronhook.common.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cronhook.delivery.testing.TestDatabase;
import dev.cronhook.delivery.testing.TestDatabaseKind;
import io.helidon.dbclient.DbClient;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The group-commit writer's fallback to one by one, against a real PostgreSQL that refuses one row of a batch. */
class GroupCommitPostgresTest {
    private TestDatabase database;
    private DbClient db;

    @BeforeEach
    void createTable() {
        database = TestDatabase.create(TestDatabaseKind.POSTGRES);
        db = DbClients.over(database.dataSource());
        db.execute().createDmlStatement("CREATE TABLE names (name VARCHAR(8) PRIMARY KEY)").execute();
    }

    @AfterEach
    void dropDatabase() {
        db.close();
        database.close();
    }

    @Test
    void aRowTheDatabaseRefusesFailsAloneAndTheRestOfItsBatchIsStored() throws Exception {
        CountDownLatch firstBatchStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> transactions = new CopyOnWriteArrayList<>();
        GroupCommit.Settings settings = new GroupCommit.Settings("names-writer", 100, Integer.MAX_VALUE,
                Duration.ofMillis(10), Duration.ofSeconds(5));
        try (GroupCommit<String, String> commits = new GroupCommit<>(settings, batch -> {
            if (firstBatchStarted.getCount() > 0) {
                firstBatchStarted.countDown();
                await(release);
            }
            transactions.add(batch.size());
            return Transactions.inTransaction(db, tx -> {
                batch.forEach(name -> tx.createInsert("INSERT INTO names (name) VALUES (:name)")
                        .addParam("name", name).execute());
                return batch;
            });
        })) {
            CompletableFuture<String> gate = commits.submit("gate");
            assertTrue(firstBatchStarted.await(5, TimeUnit.SECONDS));
            List<CompletableFuture<String>> batch = new ArrayList<>();
            for (String name : List.of("ada", "far-too-long", "grace")) {
                batch.add(commits.submit(name));
            }
            release.countDown();

            assertEquals("gate", gate.get(5, TimeUnit.SECONDS));
            assertEquals("ada", batch.get(0).get(5, TimeUnit.SECONDS));
            assertEquals("grace", batch.get(2).get(5, TimeUnit.SECONDS));
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> batch.get(1).get(5, TimeUnit.SECONDS));
            assertEquals("22001", sqlState(refused.getCause()), "the caller hears the database's own error");
            assertFalse(DatabaseErrors.retryable(refused.getCause()), "a refused value is not tried again");
        }
        assertEquals(List.of(1, 3, 1, 1, 1), transactions, "the batch of three failed once, then went one by one");
        List<String> stored = db.execute().createQuery("SELECT name FROM names ORDER BY name").execute()
                .map(row -> Rows.string(row, "name")).toList();
        assertEquals(List.of("ada", "gate", "grace"), stored);
    }

    private static String sqlState(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
