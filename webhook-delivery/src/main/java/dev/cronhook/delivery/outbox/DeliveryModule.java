package dev.cronhook.delivery.outbox;

import dev.cronhook.delivery.HttpSender;
import io.helidon.dbclient.DbClient;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Durable at-least-once delivery of signed webhooks: the outbox, the worker that sends it, and the delivery log.
 * Owns the tables under {@code db/delivery}. Knows nothing of jobs or incidents: modules register the directory of
 * the endpoints they own, by id prefix.
 */
public final class DeliveryModule implements AutoCloseable {

    /** Migrates the schema; the worker starts with {@link #start()}, once directories are registered. */
    public static DeliveryModule create(DataSource dataSource, DbClient db, HttpSender sender, Clock clock,
                                        DeliverySettings settings) {
        throw new UnsupportedOperationException("CONTRACT SKELETON");
    }

    /** Endpoint ids {@code <prefix>_…} are looked up in {@code directory}. */
    public void register(String idPrefix, EndpointDirectory directory) {
        throw new UnsupportedOperationException("CONTRACT SKELETON");
    }

    public void start() {
        throw new UnsupportedOperationException("CONTRACT SKELETON");
    }

    public Outbox outbox() {
        throw new UnsupportedOperationException("CONTRACT SKELETON");
    }

    /** Sends one event now, outside the queue (a ping), records it as a delivery with its one attempt, no retries. */
    public Delivery sendNow(NewDelivery delivery) {
        throw new UnsupportedOperationException("CONTRACT SKELETON");
    }

    /** An endpoint's deliveries, newest first, each with its attempts. */
    public List<Delivery> deliveries(String endpointId, String cursor, int limit) {
        throw new UnsupportedOperationException("CONTRACT SKELETON");
    }

    public Optional<Delivery> delivery(String endpointId, String deliveryId) {
        throw new UnsupportedOperationException("CONTRACT SKELETON");
    }

    /** Queues the delivery again, due now, with a fresh attempt budget; its attempts so far stay in the log. */
    public Optional<Delivery> redeliver(String endpointId, String deliveryId) {
        throw new UnsupportedOperationException("CONTRACT SKELETON");
    }

    /** Drops an endpoint's deliveries (the endpoint was deleted). */
    public void forget(String endpointId) {
        throw new UnsupportedOperationException("CONTRACT SKELETON");
    }

    /** Deliveries not yet succeeded or failed for good, for the metrics. */
    public long pending() {
        throw new UnsupportedOperationException("CONTRACT SKELETON");
    }

    /** Stops polling, waits for attempts in flight up to their timeout; unfinished ones are taken over later. */
    @Override
    public void close() {
        throw new UnsupportedOperationException("CONTRACT SKELETON");
    }
}
