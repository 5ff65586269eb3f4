package dev.cronhook.delivery.http;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sends to one destination (host and port): at most {@code connections} under way at once, each on a connection
 * of its own, the rest waiting their turn in arrival order. A slot is held by a worker, which takes the next waiting
 * send when its own is done, so a burst drains at the pace the destination answers, on connections kept alive.
 *
 * <p>Lock-free: every send of every worker passes through here, and with thousands of workers on one destination a
 * lock around the queue had a thousand of them waiting for it at once. A send is added, then a slot is taken if one
 * is free; a worker that finds the queue empty gives its slot back and looks once more, so no send is left without a
 * worker.
 *
 * <p>Two lanes: a send in the {@link Lane#BACKLOG} lane goes only when nothing waits in the {@link Lane#ON_TIME}
 * lane, so a backlog worked off after downtime never delays the runs due now at the same destination.
 *
 * <p>The circuit breaker is the destination's: connects that time out trip it, and while it is open the waiting sends
 * fail at once instead of each spending a connect timeout on a host that is not there.
 */
final class DestinationQueue {
    private final String destination;
    private final int connections;
    private final CircuitBreaker breaker;
    private final ConcurrentLinkedQueue<PendingSend> waiting = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<PendingSend> backlog = new ConcurrentLinkedQueue<>();
    private final AtomicInteger waitingCount = new AtomicInteger();
    private final AtomicInteger working = new AtomicInteger();
    private volatile long idleSinceNanos;

    DestinationQueue(String destination, int connections, CircuitBreaker breaker, long nowNanos) {
        this.destination = destination;
        this.connections = connections;
        this.breaker = breaker;
        this.idleSinceNanos = nowNanos;
    }

    String destination() {
        return destination;
    }

    CircuitBreaker breaker() {
        return breaker;
    }

    /** Queues the send; true when a slot was free, so the caller starts a worker (which takes sends from the queue). */
    boolean offer(PendingSend send, Lane lane) {
        (lane == Lane.BACKLOG ? backlog : waiting).add(send);
        waitingCount.incrementAndGet();
        return tryTakeSlot();
    }

    /**
     * The next send for a worker that holds a slot, or null: then the worker has given its slot back and stops.
     */
    PendingSend next(long nowNanos) {
        while (true) {
            PendingSend next = waiting.poll();
            if (next == null) {
                next = backlog.poll();
            }
            if (next != null) {
                waitingCount.decrementAndGet();
                return next;
            }
            if (working.decrementAndGet() == 0) {
                idleSinceNanos = nowNanos;
            }
            // A send queued while every slot looked taken, just before this one was given back, must not wait alone.
            if (nothingWaits() || !tryTakeSlot()) {
                return null;
            }
        }
    }

    private boolean tryTakeSlot() {
        for (int taken = working.get(); taken < connections; taken = working.get()) {
            if (working.compareAndSet(taken, taken + 1)) {
                return true;
            }
        }
        return false;
    }

    /** A slot that {@link #offer} gave was not used after all. */
    void giveBack() {
        working.decrementAndGet();
    }

    /** Takes every waiting send out (a closing sender). */
    List<PendingSend> drain() {
        List<PendingSend> drained = new ArrayList<>();
        for (ConcurrentLinkedQueue<PendingSend> lane : List.of(waiting, backlog)) {
            for (PendingSend send = lane.poll(); send != null; send = lane.poll()) {
                waitingCount.decrementAndGet();
                drained.add(send);
            }
        }
        return drained;
    }

    int waiting() {
        return waitingCount.get();
    }

    int working() {
        return working.get();
    }

    /** Nothing waiting or under way since {@code cutoffNanos} or longer. */
    boolean idleSince(long cutoffNanos) {
        return working.get() == 0 && nothingWaits() && idleSinceNanos - cutoffNanos <= 0;
    }

    private boolean nothingWaits() {
        return waiting.isEmpty() && backlog.isEmpty();
    }
}
