package dev.cronhook.delivery.outbox;

import dev.cronhook.delivery.attempts.AttemptResult;
import dev.cronhook.delivery.attempts.Outcome;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What keeps one subscriber from hurting the others, on this node: a cap on the deliveries to one endpoint in flight
 * at once, so a hanging endpoint holds a few virtual threads and never the worker, and a circuit breaker per endpoint,
 * so an endpoint that keeps failing is left alone for a while instead of burning every queued delivery's attempts.
 */
final class EndpointGuards {
    private static final System.Logger LOG = System.getLogger(EndpointGuards.class.getName());

    /** Deliveries to one endpoint claimed and not yet finished; more wait in the table, where other nodes see them. */
    static final int SENDS_PER_ENDPOINT = 8;
    /** Retryable failures in a row (timeouts, connection errors, 408, 429, 5xx) that open an endpoint's circuit. */
    static final int FAILURES_TO_OPEN = 5;

    private final CircuitBreakerConfig breakerConfig;
    private final ConcurrentHashMap<String, Guard> guards = new ConcurrentHashMap<>();

    EndpointGuards(Clock clock, Duration breakerWait) {
        this.breakerConfig = CircuitBreakerConfig.custom()
                .slidingWindow(FAILURES_TO_OPEN, FAILURES_TO_OPEN, CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .failureRateThreshold(100)
                .waitDurationInOpenState(breakerWait)
                .permittedNumberOfCallsInHalfOpenState(1)
                // The open state's wait is measured on the injected clock, so tests can step past it.
                .clock(clock)
                .build();
    }

    /** Takes one of the endpoint's send slots; false when all are taken. */
    boolean tryReserve(String endpointId) {
        return guard(endpointId).tryReserve();
    }

    /** Gives a slot back; true when the endpoint was saturated, so deliveries left waiting for it can be claimed. */
    boolean release(String endpointId) {
        Guard guard = guards.get(endpointId);
        return guard != null && guard.release();
    }

    /** Send slots of the endpoint not taken: how many of its deliveries the next claim may take. */
    int freeSlots(String endpointId) {
        Guard guard = guards.get(endpointId);
        return guard == null ? SENDS_PER_ENDPOINT : guard.free();
    }

    CircuitBreaker breaker(String endpointId) {
        return guard(endpointId).breaker;
    }

    /** Records how an attempt went for the endpoint's circuit; only failures that say "not now" count against it. */
    void record(String endpointId, AttemptResult result) {
        CircuitBreaker breaker = breaker(endpointId);
        long millis = result.durationMillis();
        if (result.outcome() == Outcome.BLOCKED) {
            // Refused by our own network policy: says nothing about the endpoint.
            breaker.releasePermission();
        } else if (result.retryable()) {
            breaker.onError(millis, TimeUnit.MILLISECONDS, new EndpointFailure(result.outcome().wireName()));
        } else {
            breaker.onSuccess(millis, TimeUnit.MILLISECONDS);
        }
    }

    void forget(String endpointId) {
        guards.remove(endpointId);
    }

    private Guard guard(String endpointId) {
        return guards.computeIfAbsent(endpointId, this::newGuard);
    }

    private Guard newGuard(String endpointId) {
        CircuitBreaker breaker = CircuitBreaker.of(endpointId, breakerConfig);
        breaker.getEventPublisher().onStateTransition(event -> LOG.log(Level.INFO, "endpoint {0} circuit {1}",
                endpointId, event.getStateTransition().getToState().name().toLowerCase(Locale.ROOT)));
        return new Guard(breaker);
    }

    private static final class Guard {
        private final CircuitBreaker breaker;
        private int inFlight;

        Guard(CircuitBreaker breaker) {
            this.breaker = breaker;
        }

        synchronized boolean tryReserve() {
            if (inFlight >= SENDS_PER_ENDPOINT) {
                return false;
            }
            inFlight++;
            return true;
        }

        synchronized boolean release() {
            boolean wasSaturated = inFlight >= SENDS_PER_ENDPOINT;
            if (inFlight > 0) {
                inFlight--;
            }
            return wasSaturated;
        }

        synchronized int free() {
            return SENDS_PER_ENDPOINT - inFlight;
        }
    }

    /** What the circuit breaker counts; never thrown, so no stack trace is taken. */
    private static final class EndpointFailure extends RuntimeException {
        EndpointFailure(String outcome) {
            super(outcome, null, false, false);
        }
    }
}
