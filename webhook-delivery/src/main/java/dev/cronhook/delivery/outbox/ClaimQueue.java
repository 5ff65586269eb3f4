package dev.cronhook.delivery.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.TreeSet;

/**
 * The endpoints the delivery worker claims for next. They come from signals, from due times this node knows of, and
 * from a scan of every endpoint: at the poll interval (the only way to see deliveries other nodes wrote or left
 * behind), when asked, and after a failed claim. Used by one thread at a time.
 */
final class ClaimQueue {
    private static final Comparator<WorkerSignals.DueLater> SOONEST =
            Comparator.comparing(WorkerSignals.DueLater::at).thenComparing(WorkerSignals.DueLater::endpointId);

    private final DeliveryRepository repository;
    private final WorkerSignals signals;
    private final Duration pollInterval;
    /** Oldest due first, as the scan found them, then as signalled. */
    private final LinkedHashSet<String> endpoints = new LinkedHashSet<>();
    /** Endpoints with a delivery due later: a retry or deferral this node wrote, or what the last scan saw. */
    private final TreeSet<WorkerSignals.DueLater> later = new TreeSet<>(SOONEST);
    /** System.nanoTime() of the next scan: the poll is a period of real time, whatever the injected clock does. */
    private long nextScanAt = System.nanoTime();

    ClaimQueue(DeliveryRepository repository, WorkerSignals signals, Duration pollInterval) {
        this.repository = repository;
        this.signals = signals;
        this.pollInterval = pollInterval;
    }

    /** Adds what was signalled and what has fallen due, and what a scan finds if one is due, asked for, or {@code scan}. */
    void refill(Instant now, boolean scan) {
        boolean asked = signals.takeScan();
        if (scan || asked || System.nanoTime() - nextScanAt >= 0) {
            scan(now);
        }
        later.addAll(signals.takeDueLater());
        while (!later.isEmpty() && !later.first().at().isAfter(now)) {
            endpoints.add(later.pollFirst().endpointId());
        }
        addSignalled();
    }

    /** Adds the endpoints signalled since: a slot that came free during a pass can be filled in it. */
    void addSignalled() {
        endpoints.addAll(signals.takeEndpoints());
    }

    /** Takes the next endpoint off the queue; null when it is empty. */
    String next() {
        Iterator<String> first = endpoints.iterator();
        if (!first.hasNext()) {
            return null;
        }
        String endpointId = first.next();
        first.remove();
        return endpointId;
    }

    /** Puts an endpoint back at the end: a claim for it stopped at the batch size, so more may be due. */
    void again(String endpointId) {
        endpoints.add(endpointId);
    }

    boolean isEmpty() {
        return endpoints.isEmpty();
    }

    /** After a failed claim: what was queued is found again by a scan one poll interval later. */
    void failed() {
        endpoints.clear();
        nextScanAt = System.nanoTime() + pollInterval.toNanos();
    }

    /** How long the worker may wait for a signal before a scan or a known due time. */
    Duration untilNextWork(Instant now) {
        Duration wait = Duration.ofNanos(nextScanAt - System.nanoTime());
        if (!later.isEmpty()) {
            Duration untilDue = Duration.between(now, later.first().at());
            if (untilDue.compareTo(wait) < 0) {
                wait = untilDue;
            }
        }
        return wait.isNegative() ? Duration.ZERO : wait;
    }

    private void scan(Instant now) {
        nextScanAt = System.nanoTime() + pollInterval.toNanos();
        // What falls due after the next poll is left to a later scan.
        List<DeliveryRepository.Queue> queues = repository.queues(now.plus(pollInterval)).stream()
                .sorted(Comparator.comparing(DeliveryRepository.Queue::earliest))
                .toList();
        for (DeliveryRepository.Queue pending : queues) {
            if (pending.earliest().isAfter(now)) {
                // A retry, a deferral or a lease: claim for it when it falls due rather than a poll later.
                later.add(new WorkerSignals.DueLater(pending.earliest(), pending.endpointId()));
            } else {
                endpoints.add(pending.endpointId());
            }
        }
    }
}
