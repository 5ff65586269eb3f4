package dev.cronhook.delivery.outbox;

import dev.cronhook.common.db.Transactions;
import dev.cronhook.delivery.attempts.AttemptResult;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.helidon.dbclient.DbClient;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Claims due deliveries and sends each on its own virtual thread. A claim is a lease in the delivery row: two nodes
 * never send the same delivery at once, and a delivery whose node died is taken over when the lease runs out.
 *
 * <p>Claims go endpoint by endpoint, each taking at most the endpoint's free send slots, so their cost follows what
 * they claim, however long the backlog of a saturated endpoint: an endpoint without a free slot is passed over
 * without a query, and the send that frees one of its slots puts it back in the {@link ClaimQueue}.
 */
final class DeliveryWorker implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DeliveryWorker.class.getName());
    /** Claim rounds per pass; the rest waits for the next one, so a huge backlog cannot keep the claim busy. */
    private static final int MAX_ROUNDS = 50;
    private static final long STOP_MARGIN_MILLIS = 5_000;
    private static final Round NOTHING = new Round(0, List.of());

    /** One claim transaction, for one endpoint: how many rows it read, and what it leased. */
    record Round(int selected, List<ClaimedDelivery> claimed) {
    }

    private record Dispatch(List<CompletableFuture<Void>> sends, boolean more) {
    }

    private final DbClient db;
    private final DeliveryRepository repository;
    private final SettlementWriter writer;
    private final EndpointDirectories directories;
    private final EndpointGuards guards;
    private final AttemptSender attempts;
    private final RetryPolicy policy;
    private final Clock clock;
    private final DeliverySettings settings;
    private final ExecutorService sends =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("cronhook-delivery-", 0).factory());
    private final WorkerSignals signals = new WorkerSignals();
    /** Guarded by itself: the poller and a test's runOnce never claim at the same time. */
    private final ClaimQueue queue;
    private volatile boolean running;
    private Thread poller;
    private boolean closed;

    DeliveryWorker(DbClient db, DeliveryRepository repository, SettlementWriter writer, EndpointDirectories directories,
                   EndpointGuards guards, AttemptSender attempts, RetryPolicy policy, Clock clock,
                   DeliverySettings settings) {
        this.db = db;
        this.repository = repository;
        this.writer = writer;
        this.directories = directories;
        this.guards = guards;
        this.attempts = attempts;
        this.policy = policy;
        this.clock = clock;
        this.settings = settings;
        this.queue = new ClaimQueue(repository, signals, settings.pollInterval());
    }

    synchronized void start() {
        if (closed) {
            throw new IllegalStateException("the delivery worker is closed");
        }
        if (poller != null) {
            return;
        }
        running = true;
        poller = Thread.ofPlatform().daemon().name("cronhook-delivery-worker").start(this::pollLoop);
    }

    /** Deliveries were committed for endpoints nobody named: the next pass scans every endpoint. */
    void wake() {
        signals.scan();
    }

    /** Deliveries to these endpoints were committed (or made due again) on this node. */
    void wakeFor(Collection<String> endpointIds) {
        signals.endpoints(endpointIds);
    }

    /** Claims what is due now (after a scan), sends it, and returns once every outcome is written; the number claimed. */
    int runOnce() {
        List<CompletableFuture<Void>> started = dispatch(true).sends();
        CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).join();
        return started.size();
    }

    /**
     * One claim transaction, for the next queued endpoint that has a free slot; when the queue is empty it is filled
     * by a scan first. Nothing when every endpoint with due deliveries is saturated.
     */
    Round claim() {
        synchronized (queue) {
            try {
                if (queue.isEmpty()) {
                    queue.refill(now(), true);
                }
                return nextRound();
            } catch (RuntimeException e) {
                queue.failed();
                throw e;
            }
        }
    }

    private Dispatch dispatch(boolean scan) {
        List<CompletableFuture<Void>> started = new ArrayList<>();
        synchronized (queue) {
            try {
                queue.refill(now(), scan);
                for (int round = 0; round < MAX_ROUNDS; round++) {
                    queue.addSignalled();
                    if (queue.isEmpty()) {
                        return new Dispatch(started, false);
                    }
                    nextRound().claimed().forEach(delivery -> started.add(launch(delivery)));
                }
                return new Dispatch(started, !queue.isEmpty());
            } catch (RuntimeException e) {
                queue.failed();
                throw e;
            }
        }
    }

    private Round nextRound() {
        for (String endpointId = queue.next(); endpointId != null; endpointId = queue.next()) {
            int free = guards.freeSlots(endpointId);
            if (free == 0) {
                // Saturated: the send that frees a slot signals it again.
                continue;
            }
            int limit = Math.min(free, settings.claimBatch());
            Round round = claimFor(endpointId, limit);
            if (round.claimed().size() == limit && guards.freeSlots(endpointId) > 0) {
                // The batch ran out before the endpoint's slots did: more may be due. (A claim that lost rows to
                // another node's is not repeated at once: that node is sending them.)
                queue.again(endpointId);
            }
            return round;
        }
        return NOTHING;
    }

    /** Leases up to {@code limit} of the endpoint's due deliveries, oldest first, and takes a slot for each. */
    private Round claimFor(String endpointId, int limit) {
        Instant now = now();
        Instant lease = now.plus(settings.timeout()).plus(settings.leaseGrace());
        List<ClaimedDelivery> claimed = new ArrayList<>();
        try {
            int selected = Transactions.inTransaction(db, tx -> {
                List<String> ids = repository.dueIds(tx, endpointId, now, limit);
                List<DeliveryRepository.Due> due = ids.isEmpty() ? List.of() : repository.lockDue(tx, ids, now);
                for (DeliveryRepository.Due delivery : due) {
                    if (!guards.tryReserve(endpointId)) {
                        // Left in the table, due: another node may take it, or this one when a slot frees up.
                        continue;
                    }
                    if (repository.takeLease(tx, delivery, lease, now)) {
                        claimed.add(delivery.claimed(lease));
                    } else {
                        guards.release(endpointId);
                    }
                }
                return ids.size();
            });
            return new Round(selected, claimed);
        } catch (RuntimeException e) {
            claimed.forEach(c -> guards.release(c.endpointId()));
            throw e;
        }
    }

    private void pollLoop() {
        while (running) {
            boolean more = false;
            try {
                more = dispatch(false).more();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "claiming due deliveries failed: " + e.getMessage());
            }
            try {
                signals.await(more ? Duration.ZERO : untilNextWork());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private Duration untilNextWork() {
        synchronized (queue) {
            return queue.untilNextWork(now());
        }
    }

    /** Completes when the delivery's outcome is written, or when nothing will be written for it. */
    private CompletableFuture<Void> launch(ClaimedDelivery delivery) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            sends.execute(() -> {
                try {
                    deliver(delivery).whenComplete((ignored, error) -> done.complete(null));
                } catch (RuntimeException e) {
                    LOG.log(Level.ERROR, "delivery " + delivery.id() + " failed unexpectedly: " + e);
                    done.complete(null);
                } finally {
                    if (guards.release(delivery.endpointId())) {
                        // It was saturated, so the last claim may have left due deliveries for it in the table.
                        wakeFor(List.of(delivery.endpointId()));
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            // Stopping: the lease runs out and another node, or this one after a restart, sends it.
            guards.release(delivery.endpointId());
            done.complete(null);
        }
        return done;
    }

    private CompletableFuture<Void> deliver(ClaimedDelivery delivery) {
        Instant now = now();
        EndpointDirectories.Lookup lookup;
        try {
            lookup = directories.find(delivery.endpointId(), now);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "looking up endpoint {0} failed, delivery {1} waits: {2}", delivery.endpointId(),
                    delivery.id(), e.getMessage());
            return submit(new Settlement.Deferred(delivery, now.plus(settings.pollInterval()), now));
        }
        CircuitBreaker breaker = null;
        if (lookup instanceof EndpointDirectories.Found) {
            breaker = guards.breaker(delivery.endpointId());
            if (!breaker.tryAcquirePermission()) {
                return submit(new Settlement.Deferred(delivery, now.plus(settings.breakerWait()), now));
            }
        }
        AttemptResult result;
        try {
            result = attempts.send(lookup, delivery.eventId(), delivery.eventType(), delivery.body(), now);
        } catch (CancellationException e) {
            if (breaker != null) {
                breaker.releasePermission();
            }
            LOG.log(Level.INFO, "delivery {0} cut off by shutdown; it is sent again when its lease runs out",
                    delivery.id());
            return CompletableFuture.completedFuture(null);
        }
        if (breaker != null) {
            guards.record(delivery.endpointId(), result);
        }
        return settle(delivery, lookup, result);
    }

    private CompletableFuture<Void> settle(ClaimedDelivery delivery, EndpointDirectories.Lookup lookup,
                                           AttemptResult result) {
        Instant now = now();
        DeliveryStatus status;
        Instant nextAttemptAt = null;
        switch (policy.decide(result, delivery.attemptInBudget(), now)) {
            case RetryPolicy.Succeeded succeeded -> status = DeliveryStatus.SUCCEEDED;
            case RetryPolicy.RetryAt retry -> {
                status = DeliveryStatus.PENDING;
                nextAttemptAt = retry.at();
            }
            case RetryPolicy.Failed failed -> {
                status = DeliveryStatus.FAILED;
                if (failed.gone()) {
                    AttemptSender.reportGone(lookup, delivery.id());
                }
            }
        }
        AttemptSender.log(delivery.endpointId(), delivery.id(), delivery.attemptNumber(), result,
                nextAttemptAt != null ? "retry at " + nextAttemptAt : status.wireName());
        return submit(new Settlement.Attempted(delivery, result, status, nextAttemptAt, now));
    }

    /** Hands the settlement to the writer; once it is written, a delivery due again wakes the worker then. */
    private CompletableFuture<Void> submit(Settlement settlement) {
        return writer.submit(settlement).whenComplete((ignored, error) -> {
            Instant dueAgain = settlement.dueAgainAt();
            if (dueAgain != null) {
                signals.dueAt(settlement.claim().endpointId(), dueAgain);
            }
        });
    }

    private Instant now() {
        // Stored times are compared for equality (the lease), so they must survive the database's precision.
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** Stops claiming, then waits for sends in flight (each bounded by the attempt timeout) to hand in their outcome. */
    @Override
    public void close() {
        close(settings.timeout().plusMillis(STOP_MARGIN_MILLIS));
    }

    /** Stops polling and waits for the attempts in flight, {@code within} at most; the rest are cut off. */
    void close(Duration within) {
        Thread stopping;
        synchronized (this) {
            closed = true;
            running = false;
            stopping = poller;
        }
        wake();
        try {
            if (stopping != null) {
                stopping.join(STOP_MARGIN_MILLIS);
            }
            sends.shutdown();
            long wait = Math.min(settings.timeout().toMillis() + STOP_MARGIN_MILLIS, within.toMillis());
            if (!sends.awaitTermination(wait, TimeUnit.MILLISECONDS)) {
                // Cut off: nothing is recorded for these, and their leases hand them on.
                sends.shutdownNow();
                sends.awaitTermination(STOP_MARGIN_MILLIS, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            sends.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
