package dev.cronhook.delivery.outbox;

import dev.cronhook.delivery.AttemptResult;
import dev.cronhook.delivery.db.Transactions;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.helidon.dbclient.DbClient;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Claims due deliveries and sends each on its own virtual thread. Polls on a platform daemon thread every poll
 * interval, and at once when woken. A claim is a lease in the delivery row: two nodes never send the same delivery
 * at once, and a delivery whose node died is taken over when the lease runs out.
 */
final class DeliveryWorker implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DeliveryWorker.class.getName());
    /** Claim rounds per poll; the rest waits for the next one, so a huge backlog cannot keep the claim busy. */
    private static final int MAX_ROUNDS = 50;
    private static final long STOP_MARGIN_MILLIS = 5_000;

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
    private final Semaphore wakeups = new Semaphore(0);
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

    void wake() {
        if (wakeups.availablePermits() == 0) {
            wakeups.release();
        }
    }

    /** Claims what is due now, sends it, and returns once every outcome is written; the number claimed. */
    int runOnce() {
        List<CompletableFuture<Void>> started = dispatchDue().sends();
        CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).join();
        return started.size();
    }

    /** One claim transaction: leases up to a batch of due deliveries, as many per endpoint as it has free slots. */
    Round claim() {
        Instant now = now();
        Instant lease = now.plus(settings.timeout()).plus(settings.leaseGrace());
        List<ClaimedDelivery> claimed = new ArrayList<>();
        try {
            int selected = Transactions.inTransaction(db, tx -> {
                List<DeliveryRepository.Due> due = repository.due(tx, now, settings.claimBatch(), guards.saturated());
                for (DeliveryRepository.Due delivery : due) {
                    if (!guards.tryReserve(delivery.endpointId())) {
                        // Left in the table, due: another node may take it, or this one when a slot frees up.
                        continue;
                    }
                    if (repository.takeLease(tx, delivery, lease, now)) {
                        claimed.add(delivery.claimed(lease));
                    } else {
                        guards.release(delivery.endpointId());
                    }
                }
                return due.size();
            });
            return new Round(selected, claimed);
        } catch (RuntimeException e) {
            claimed.forEach(c -> guards.release(c.endpointId()));
            throw e;
        }
    }

    private Dispatch dispatchDue() {
        List<CompletableFuture<Void>> started = new ArrayList<>();
        for (int round = 0; round < MAX_ROUNDS; round++) {
            Round claimed = claim();
            claimed.claimed().forEach(delivery -> started.add(launch(delivery)));
            if (claimed.selected() < settings.claimBatch() || claimed.claimed().isEmpty()) {
                return new Dispatch(started, false);
            }
        }
        return new Dispatch(started, true);
    }

    private void pollLoop() {
        while (running) {
            boolean more = false;
            try {
                more = dispatchDue().more();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "claiming due deliveries failed: " + e.getMessage());
            }
            try {
                if (!more) {
                    wakeups.tryAcquire(settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                }
                wakeups.drainPermits();
            } catch (InterruptedException e) {
                return;
            }
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
                        wake();
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
            return writer.submit(new Settlement.Deferred(delivery, now.plus(settings.pollInterval()), now));
        }
        CircuitBreaker breaker = null;
        if (lookup instanceof EndpointDirectories.Found) {
            breaker = guards.breaker(delivery.endpointId());
            if (!breaker.tryAcquirePermission()) {
                return writer.submit(new Settlement.Deferred(delivery, now.plus(settings.breakerWait()), now));
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
        return writer.submit(new Settlement.Attempted(delivery, result, status, nextAttemptAt, now));
    }

    private Instant now() {
        // Stored times are compared for equality (the lease), so they must survive the database's precision.
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** Stops claiming, then waits for sends in flight (each bounded by the attempt timeout) to hand in their outcome. */
    @Override
    public void close() {
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
            long wait = settings.timeout().toMillis() + STOP_MARGIN_MILLIS;
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
