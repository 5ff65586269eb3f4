package dev.cronhook.delivery.http;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A {@link DestinationQueue} per destination in recent use. Queues with nothing waiting or under way for
 * {@code idleAfter} are dropped, so memory follows the destinations in use, not every host ever called.
 */
final class DestinationQueues {
    private static final System.Logger LOG = System.getLogger(DestinationQueues.class.getName());

    /** What the sender's queues report: sends waiting their turn, under way, and destinations whose circuit is open. */
    record Stats(int waiting, int sending, int destinations, int openCircuits) {
    }

    private final int connections;
    private final CircuitBreakerConfig breakerConfig;
    private final long idleAfterNanos;
    private final LongSupplier nanoTime;
    private final Map<String, DestinationQueue> queues = new ConcurrentHashMap<>();
    private final AtomicLong nextSweep;

    /**
     * @param connections sends under way at once per destination, each on its own connection
     * @param connectTimeoutsToOpen connects in a row that time out before a destination's circuit opens
     * @param openFor how long an open circuit fails sends at once before one send tries again
     */
    DestinationQueues(int connections, int connectTimeoutsToOpen, Duration openFor, Duration idleAfter,
                      LongSupplier nanoTime) {
        if (connections < 1) {
            throw new IllegalArgumentException("connections must be at least 1");
        }
        this.connections = connections;
        this.breakerConfig = CircuitBreakerConfig.custom()
                .slidingWindow(connectTimeoutsToOpen, connectTimeoutsToOpen,
                        CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .failureRateThreshold(100)
                .waitDurationInOpenState(openFor)
                .permittedNumberOfCallsInHalfOpenState(1)
                // Transport timing, like the request deadlines: the wall clock, never a test's fixed one.
                .clock(Clock.systemUTC())
                .build();
        this.idleAfterNanos = idleAfter.toNanos();
        this.nanoTime = nanoTime;
        this.nextSweep = new AtomicLong(nanoTime.getAsLong() + idleAfterNanos);
    }

    /** The destination a URL connects to: {@code host:port}, with the scheme's default port. */
    static String destination(URI url) {
        int port = url.getPort() >= 0
                ? url.getPort()
                : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
        return url.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }

    int connections() {
        return connections;
    }

    /** Queues the send at its destination; answers that queue when a slot was free and a worker must start with it. */
    DestinationQueue offer(String destination, PendingSend send, Lane lane) {
        long now = nanoTime.getAsLong();
        sweepIfDue(now);
        DestinationQueue[] start = new DestinationQueue[1];
        // Offering inside compute() keeps a sweep from dropping the queue between lookup and offer.
        queues.compute(destination, (key, existing) -> {
            DestinationQueue queue = existing != null ? existing : newQueue(key, now);
            if (queue.offer(send, lane)) {
                start[0] = queue;
            }
            return queue;
        });
        return start[0];
    }

    /** Takes every waiting send out of every queue. */
    List<PendingSend> drain() {
        List<PendingSend> drained = new ArrayList<>();
        queues.values().forEach(queue -> drained.addAll(queue.drain()));
        return drained;
    }

    Stats stats() {
        int waiting = 0;
        int sending = 0;
        int open = 0;
        for (DestinationQueue queue : queues.values()) {
            waiting += queue.waiting();
            sending += queue.working();
            if (queue.breaker().getState() != CircuitBreaker.State.CLOSED) {
                open++;
            }
        }
        return new Stats(waiting, sending, queues.size(), open);
    }

    private DestinationQueue newQueue(String destination, long now) {
        CircuitBreaker breaker = CircuitBreaker.of(destination, breakerConfig);
        breaker.getEventPublisher().onStateTransition(event -> LOG.log(Level.INFO, "destination {0} circuit {1}",
                destination, event.getStateTransition().getToState().name().toLowerCase(Locale.ROOT)));
        return new DestinationQueue(destination, connections, breaker, now);
    }

    private void sweepIfDue(long now) {
        long due = nextSweep.get();
        if (now - due < 0 || !nextSweep.compareAndSet(due, now + idleAfterNanos)) {
            return;
        }
        long cutoff = now - idleAfterNanos;
        for (String destination : queues.keySet()) {
            // An open circuit is kept: forgetting it would let the next burst spend its connect timeouts again.
            queues.computeIfPresent(destination, (key, queue) -> queue.idleSince(cutoff)
                    && queue.breaker().getState() == CircuitBreaker.State.CLOSED ? null : queue);
        }
    }
}
