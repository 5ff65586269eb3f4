package dev.cronhook.delivery.outbox;

import io.helidon.dbclient.DbExecute;

/** Writes deliveries inside the caller's transaction, so an event is stored exactly when what it reports is. */
public final class Outbox {

    /** Stores a pending delivery due now; returns its {@code dlv_} id. Call {@link #wake()} after the commit. */
    public String enqueue(DbExecute tx, NewDelivery delivery) {
        throw new UnsupportedOperationException("CONTRACT SKELETON");
    }

    /** Tells the worker that deliveries were committed, so it sends them now instead of at its next poll. */
    public void wake() {
        throw new UnsupportedOperationException("CONTRACT SKELETON");
    }
}
