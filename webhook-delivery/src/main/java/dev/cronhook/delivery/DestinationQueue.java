package dev.cronhook.delivery;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The sends to one destination (host and port): at most {@code connections} under way at once, each on a connection
 * of its own, the rest waiting their turn in arrival order. A slot is held by a worker, which takes the next waiting
 * send when its own is done, so a burst drains at the pace the destination answers, on connections kept alive.
 *
 * <p>The circuit breaker is the destination's: connects that time out trip it, and while it is open the waiting sends
 * fail at once instead of each spending a connect timeout on a host that is not there.
 */
final class DestinationQueue {
    private final String destination;
    private final int connections;
    private final CircuitBreaker breaker;
    private final ArrayDeque<PendingSend> waiting = new ArrayDeque<>();
    private int working;
    private long idleSinceNanos;

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

    /** Queues the send; true when a slot was free, so the caller starts a worker with it (it is not queued then). */
    synchronized boolean offer(PendingSend send) {
        if (working < connections) {
            working++;
            return true;
        }
        waiting.addLast(send);
        return false;
    }

    /** The next send for a worker whose send is done, or null: the worker stops and its slot is free. */
    synchronized PendingSend next(long nowNanos) {
        PendingSend next = waiting.pollFirst();
        if (next == null) {
            working--;
            if (working == 0) {
                idleSinceNanos = nowNanos;
            }
        }
        return next;
    }

    /** A slot that {@link #offer} gave was not used after all. */
    synchronized void giveBack() {
        working--;
    }

    /** Takes every waiting send out (a closing sender). */
    synchronized List<PendingSend> drain() {
        List<PendingSend> drained = new ArrayList<>(waiting);
        waiting.clear();
        return drained;
    }

    synchronized int waiting() {
        return waiting.size();
    }

    synchronized int working() {
        return working;
    }

    /** Nothing waiting or under way since {@code cutoffNanos} or longer. */
    synchronized boolean idleSince(long cutoffNanos) {
        return working == 0 && waiting.isEmpty() && idleSinceNanos - cutoffNanos <= 0;
    }
}
