package dev.cronhook.delivery.outbox;

import dev.cronhook.common.PrefixedIds;
import io.helidon.dbclient.DbExecute;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Writes deliveries inside the caller's transaction, so an event is stored exactly when what it reports is. */
public final class Outbox {
    private static final int MAX_ENDPOINT_ID = 64;
    private static final int MAX_EVENT_ID = 100;
    private static final int MAX_EVENT_TYPE = 100;

    private final DeliveryRepository repository;
    private final DeliveryWorker worker;
    private final PrefixedIds ids;
    private final Clock clock;
    /**
     * Endpoints this thread enqueued for since its last {@link #wake()}. Callers commit, then wake on the same thread,
     * so the wake can name them and the worker claims for just those (or nothing, while they are saturated) instead
     * of scanning every endpoint. A wake from a thread that enqueued nothing scans.
     */
    private final ThreadLocal<Set<String>> enqueuedHere = ThreadLocal.withInitial(HashSet::new);

    Outbox(DeliveryRepository repository, DeliveryWorker worker, PrefixedIds ids, Clock clock) {
        this.repository = repository;
        this.worker = worker;
        this.ids = ids;
        this.clock = clock;
    }

    /**
     * Stores a pending delivery due now; returns its {@code dlv_} id. Call {@link #wake()} after the commit, on this
     * thread.
     *
     * @throws IllegalArgumentException when the body is not UTF-8 JSON text or an id or the type is too long
     */
    public String enqueue(DbExecute tx, NewDelivery delivery) {
        String body = storableBody(delivery);
        String id = ids.next("dlv");
        repository.insertPending(tx, id, delivery, body, clock.instant().truncatedTo(ChronoUnit.MILLIS));
        // Kept even if the transaction rolls back: the wake then costs one claim that finds nothing.
        enqueuedHere.get().add(delivery.endpointId());
        return id;
    }

    /** Tells the worker that deliveries were committed, so it sends them now instead of at its next poll. */
    public void wake() {
        Set<String> endpoints = enqueuedHere.get();
        if (endpoints.isEmpty()) {
            worker.wake();
        } else {
            worker.wakeFor(List.copyOf(endpoints));
            endpoints.clear();
        }
    }

    /** The body as the text stored; refuses what the tables cannot hold or give back unchanged. */
    static String storableBody(NewDelivery delivery) {
        requireLength("endpointId", delivery.endpointId(), MAX_ENDPOINT_ID);
        requireLength("eventId", delivery.eventId(), MAX_EVENT_ID);
        requireLength("eventType", delivery.eventType(), MAX_EVENT_TYPE);
        return EventBodies.text(delivery.body());
    }

    private static void requireLength(String name, String value, int max) {
        if (value.isEmpty() || value.length() > max) {
            throw new IllegalArgumentException(name + " must have 1 to " + max + " characters");
        }
    }
}
