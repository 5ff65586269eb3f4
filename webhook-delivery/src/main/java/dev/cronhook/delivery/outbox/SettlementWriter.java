package dev.cronhook.delivery.outbox;

import dev.cronhook.common.db.GroupCommit;
import dev.cronhook.common.db.Transactions;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Collections;
import java.util.concurrent.CompletableFuture;

/**
 * Writes what became of claimed deliveries, settlements that arrive together in one transaction ({@link
 * GroupCommit}). A settlement that cannot be written is given up on after a few tries: its delivery keeps its lease,
 * and when that runs out it is claimed and sent again (at least once).
 */
final class SettlementWriter implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SettlementWriter.class.getName());
    private static final GroupCommit.Settings SETTINGS = new GroupCommit.Settings("cronhook-delivery-writer", 500, 4,
            Duration.ofMillis(200), Duration.ofSeconds(30));

    private final DeliveryRepository repository;
    private final GroupCommit<Settlement, Void> commits;

    SettlementWriter(DbClient db, DeliveryRepository repository) {
        this.repository = repository;
        this.commits = new GroupCommit<>(SETTINGS, batch -> Transactions.inTransaction(db, tx -> {
            batch.forEach(settlement -> write(tx, settlement));
            return Collections.nCopies(batch.size(), null);
        }));
    }

    /** Completes once the settlement is committed, or given up on. */
    CompletableFuture<Void> submit(Settlement settlement) {
        return commits.submit(settlement).exceptionally(error -> {
            LOG.log(Level.ERROR, "could not record delivery {0}: {1}", settlement.claim().id(), error.getMessage());
            return null;
        });
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
        commits.close();
    }
}
