package dev.cronhook.delivery.outbox;

import dev.cronhook.common.PrefixedIds;
import dev.cronhook.common.db.Migrations;
import dev.cronhook.common.db.Transactions;
import dev.cronhook.delivery.attempts.AttemptResult;
import dev.cronhook.delivery.attempts.Outcome;
import dev.cronhook.delivery.cluster.NodeHeartbeat;
import dev.cronhook.delivery.cluster.NodeWork;
import dev.cronhook.delivery.http.HttpSender;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Durable at-least-once delivery of signed webhooks: the outbox, the worker that sends it, and the delivery log.
 * Owns the tables under {@code db/delivery}. Knows nothing of jobs or incidents: modules register the directory of
 * the endpoints they own, by id prefix.
 */
public final class DeliveryModule implements AutoCloseable {
    private final DbClient db;
    private final DeliveryRepository repository;
    private final EndpointDirectories directories;
    private final EndpointGuards guards;
    private final AttemptSender attempts;
    private final SettlementWriter writer;
    private final DeliveryWorker worker;
    private final Outbox outbox;
    private final PrefixedIds ids;
    private final Clock clock;

    private DeliveryModule(DbClient db, HttpSender sender, Clock clock, DeliverySettings settings, String nodeId) {
        this.db = db;
        this.clock = clock;
        this.ids = new PrefixedIds(clock);
        this.repository = new DeliveryRepository(db, nodeId);
        this.directories = new EndpointDirectories();
        this.guards = new EndpointGuards(clock, settings.breakerWait());
        this.attempts = new AttemptSender(sender, settings.timeout());
        this.writer = new SettlementWriter(db, repository);
        this.worker = new DeliveryWorker(db, repository, writer, directories, guards, attempts,
                new RetryPolicy(settings.retryDelays()), clock, settings);
        this.outbox = new Outbox(repository, worker, ids, clock);
    }

    /**
     * Migrates the schema (the {@code nodes} table included: start {@code node} after this); the worker starts with
     * {@link #start()}, once directories are registered. The deliveries a dead node was sending are handed on by
     * {@code node}'s heartbeat.
     */
    public static DeliveryModule create(DataSource dataSource, DbClient db, HttpSender sender, Clock clock,
                                        DeliverySettings settings, NodeHeartbeat node) {
        requireUsable(settings);
        Migrations.apply(dataSource, "db/delivery", "delivery_schema_history");
        DeliveryModule module = new DeliveryModule(db, sender, clock, settings, node.nodeId());
        node.register(module.new ClaimedDeliveries());
        return module;
    }

    /** The deliveries a node leased. A fenced node's leases ended when it was declared dead: nothing to drop. */
    private final class ClaimedDeliveries implements NodeWork {
        @Override
        public int handOn(DbExecute tx, String nodeId, Instant now) {
            return repository.handOn(tx, nodeId, now);
        }

        @Override
        public void lookSoon() {
            worker.wake();
        }

        @Override
        public void fenced() {
        }
    }

    private static void requireUsable(DeliverySettings settings) {
        boolean positive = settings.timeout().isPositive() && settings.pollInterval().isPositive()
                && settings.breakerWait().isPositive() && settings.claimBatch() > 0;
        boolean notNegative = !settings.leaseGrace().isNegative()
                && settings.retryDelays().stream().noneMatch(Duration::isNegative);
        if (!positive || !notNegative) {
            throw new IllegalArgumentException("delivery settings need a positive timeout, poll interval, breaker wait "
                    + "and claim batch, and no negative delay: " + settings);
        }
    }

    /** Endpoint ids {@code <prefix>_…} are looked up in {@code directory}. */
    public void register(String idPrefix, EndpointDirectory directory) {
        directories.register(idPrefix, directory);
    }

    public void start() {
        worker.start();
    }

    public Outbox outbox() {
        return outbox;
    }

    /** Sends one event now, outside the queue (a ping), records it as a delivery with its one attempt, no retries. */
    public Delivery sendNow(NewDelivery delivery) {
        String body = Outbox.storableBody(delivery);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        EndpointDirectories.Lookup lookup = directories.find(delivery.endpointId(), now);
        // A ping is how a user checks a repaired endpoint, so it goes even while the endpoint's circuit is open.
        AttemptResult result = attempts.send(lookup, delivery.eventId(), delivery.eventType(), delivery.body(), now);
        boolean succeeded = result.outcome() == Outcome.SUCCESS;
        String id = ids.next("dlv");
        Transactions.inTransaction(db, tx -> {
            repository.insertFinished(tx, id, delivery, body,
                    succeeded ? DeliveryStatus.SUCCEEDED : DeliveryStatus.FAILED, result, now);
            return null;
        });
        AttemptSender.log(delivery.endpointId(), id, 1, result, succeeded ? "succeeded" : "failed");
        if (result.statusCode() != null && result.statusCode() == 410) {
            AttemptSender.reportGone(lookup, id);
        }
        if (succeeded) {
            CircuitBreaker breaker = guards.breaker(delivery.endpointId());
            if (breaker.getState() != CircuitBreaker.State.CLOSED) {
                breaker.transitionToClosedState();
            }
        }
        return repository.find(delivery.endpointId(), id).orElseThrow();
    }

    /** An endpoint's deliveries, newest first, each with its attempts. */
    public List<Delivery> deliveries(String endpointId, String cursor, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
        return repository.list(endpointId, cursor, limit);
    }

    public Optional<Delivery> delivery(String endpointId, String deliveryId) {
        return repository.find(endpointId, deliveryId);
    }

    /** Queues the delivery again, due now, with a fresh attempt budget; its attempts so far stay in the log. */
    public Optional<Delivery> redeliver(String endpointId, String deliveryId) {
        if (!repository.requeue(endpointId, deliveryId, clock.instant().truncatedTo(ChronoUnit.MILLIS))) {
            return Optional.empty();
        }
        worker.wakeFor(List.of(endpointId));
        return repository.find(endpointId, deliveryId);
    }

    /** Drops an endpoint's deliveries (the endpoint was deleted). */
    public void forget(String endpointId) {
        repository.deleteForEndpoint(endpointId);
        guards.forget(endpointId);
    }

    /**
     * Retention: deletes up to {@code limit} delivered or given-up deliveries created before {@code cutoff}, with
     * their attempts; returns how many. Pending ones stay whatever their age.
     */
    public int deleteFinishedCreatedBefore(Instant cutoff, int limit) {
        return repository.deleteFinishedCreatedBefore(cutoff, limit);
    }

    /** Deliveries not yet succeeded or failed for good, for the metrics. */
    public long pending() {
        return repository.countPending();
    }

    /** The worker, for tests that drive it step by step. */
    DeliveryWorker worker() {
        return worker;
    }

    /** The send slots and circuits, for tests that free a slot by hand. */
    EndpointGuards guards() {
        return guards;
    }

    /** Stops polling, waits for attempts in flight up to their timeout; unfinished ones are taken over later. */
    @Override
    public void close() {
        worker.close();
        writer.close();
    }

    /** As {@link #close()}, waiting {@code within} at most for attempts in flight (a stop's deadline). */
    public void close(Duration within) {
        worker.close(within);
        writer.close();
    }
}
