package dev.cronhook.delivery.outbox;

import dev.cronhook.delivery.db.Transactions;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Writes what became of claimed deliveries. Settlements that arrive together share one transaction (group commit):
 * a commit costs a disk flush, so one per attempt would bound throughput by the disk.
 */
final class SettlementWriter implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SettlementWriter.class.getName());
    private static final int MAX_BATCH = 500;
    private static final int BATCH_TRIES = 4;
    private static final long CLOSE_WAIT_MILLIS = 30_000;

    private record Queued(Settlement settlement, CompletableFuture<Void> written) {
    }

    private final DbClient db;
    private final DeliveryRepository repository;
    private final LinkedBlockingQueue<Queued> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closing;

    SettlementWriter(DbClient db, DeliveryRepository repository) {
        this.db = db;
        this.repository = repository;
        this.thread = Thread.ofPlatform().daemon().name("cronhook-delivery-writer").start(this::writeLoop);
    }

    /** Completes once the settlement is committed, or given up on (then the lease runs out and it is sent again). */
    CompletableFuture<Void> submit(Settlement settlement) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        queue.add(new Queued(settlement, written));
        return written;
    }

    private void writeLoop() {
        List<Queued> batch = new ArrayList<>(MAX_BATCH);
        while (!closing || !queue.isEmpty()) {
            try {
                Queued first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                writeBatch(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.forEach(queued -> queued.written().complete(null));
                batch.clear();
            }
        }
    }

    private void writeBatch(List<Queued> batch) throws InterruptedException {
        for (int tries = 1; ; tries++) {
            try {
                Transactions.inTransaction(db, tx -> {
                    batch.forEach(queued -> write(tx, queued.settlement()));
                    return null;
                });
                return;
            } catch (RuntimeException e) {
                if (tries >= BATCH_TRIES || closing) {
                    LOG.log(Level.WARNING, "writing " + batch.size() + " delivery outcomes failed, writing them one by "
                            + "one: " + e.getMessage());
                    break;
                }
                Thread.sleep(100L << tries);
            }
        }
        // One bad row must not hold back the rest of the batch.
        for (Queued queued : batch) {
            try {
                Transactions.inTransaction(db, tx -> {
                    write(tx, queued.settlement());
                    return null;
                });
            } catch (RuntimeException e) {
                // The delivery keeps its lease; when that runs out it is claimed and sent again (at least once).
                LOG.log(Level.ERROR, "could not record delivery {0}: {1}", queued.settlement().claim().id(),
                        e.getMessage());
            }
        }
    }

    private void write(DbExecute tx, Settlement settlement) {
        switch (settlement) {
            case Settlement.Attempted a ->
                    repository.recordAttempt(tx, a.claim(), a.result(), a.status(), a.nextAttemptAt(), a.at());
            case Settlement.Deferred d -> repository.defer(tx, d.claim(), d.until(), d.at());
        }
    }

    /** Writes what is queued, then stops. */
    @Override
    public void close() {
        closing = true;
        try {
            thread.join(CLOSE_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
