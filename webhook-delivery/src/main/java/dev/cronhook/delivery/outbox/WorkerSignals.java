package dev.cronhook.delivery.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What other threads tell the delivery worker, so that it asks the database only where there can be work: endpoints
 * that may have due deliveries now or from a given time, or a request to look at every endpoint.
 */
final class WorkerSignals {
    /** A delivery to the endpoint falls due at {@code at}. */
    record DueLater(Instant at, String endpointId) {
    }

    private final Semaphore wakeups = new Semaphore(0);
    private final Set<String> endpoints = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<DueLater> later = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scan = new AtomicBoolean();

    /** These endpoints may have due deliveries now (committed on this node, or a send slot came free). */
    void endpoints(Collection<String> endpointIds) {
        endpoints.addAll(endpointIds);
        wake();
    }

    /** A delivery this node wrote falls due at {@code at}. */
    void dueAt(String endpointId, Instant at) {
        later.add(new DueLater(at, endpointId));
        wake();
    }

    /** Something may be due for an endpoint nobody named: the worker looks at every endpoint. */
    void scan() {
        scan.set(true);
        wake();
    }

    /** Waits for a signal, at most {@code max}; a signal given since the last wait returns at once. */
    void await(Duration max) throws InterruptedException {
        if (max.isPositive()) {
            wakeups.tryAcquire(max.toMillis(), TimeUnit.MILLISECONDS);
        }
        // Signals recorded before this point are taken by the pass that follows; later ones leave a permit.
        wakeups.drainPermits();
    }

    List<String> takeEndpoints() {
        List<String> taken = new ArrayList<>();
        for (String endpointId : endpoints) {
            if (endpoints.remove(endpointId)) {
                taken.add(endpointId);
            }
        }
        return taken;
    }

    List<DueLater> takeDueLater() {
        List<DueLater> taken = new ArrayList<>();
        for (DueLater next = later.poll(); next != null; next = later.poll()) {
            taken.add(next);
        }
        return taken;
    }

    boolean takeScan() {
        return scan.getAndSet(false);
    }

    private void wake() {
        if (wakeups.availablePermits() == 0) {
            wakeups.release();
        }
    }
}
