package dev.cronhook.delivery.outbox;

import java.time.Duration;
import java.util.List;

/**
 * How the delivery worker runs.
 *
 * @param retryDelays     waits before attempts 2, 3, …; their count + 1 is the most attempts a delivery gets
 * @param timeout         one attempt, from connect to the end of the (capped) response
 * @param pollInterval    how often the worker scans for due deliveries nothing on this node told it about: those
 *                        written by other nodes, or left by a node that died
 * @param claimBatch      deliveries claimed per transaction
 * @param leaseGrace      added to the timeout: a delivery claimed by a node that died is taken over after that
 * @param breakerWait     how long an endpoint's circuit stays open after repeated failures before one probe goes
 */
public record DeliverySettings(
        List<Duration> retryDelays,
        Duration timeout,
        Duration pollInterval,
        int claimBatch,
        Duration leaseGrace,
        Duration breakerWait) {

    public DeliverySettings {
        retryDelays = List.copyOf(retryDelays);
    }

    public static DeliverySettings defaults() {
        return new DeliverySettings(
                List.of(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(2),
                        Duration.ofHours(5), Duration.ofHours(10)),
                Duration.ofSeconds(15), Duration.ofSeconds(5), 200, Duration.ofSeconds(60), Duration.ofSeconds(30));
    }

    public DeliverySettings withRetryDelays(List<Duration> value) {
        return new DeliverySettings(value, timeout, pollInterval, claimBatch, leaseGrace, breakerWait);
    }

    public DeliverySettings withTimeout(Duration value) {
        return new DeliverySettings(retryDelays, value, pollInterval, claimBatch, leaseGrace, breakerWait);
    }

    public DeliverySettings withPollInterval(Duration value) {
        return new DeliverySettings(retryDelays, timeout, value, claimBatch, leaseGrace, breakerWait);
    }

    public DeliverySettings withClaimBatch(int value) {
        return new DeliverySettings(retryDelays, timeout, pollInterval, value, leaseGrace, breakerWait);
    }

    public DeliverySettings withLeaseGrace(Duration value) {
        return new DeliverySettings(retryDelays, timeout, pollInterval, claimBatch, value, breakerWait);
    }

    public DeliverySettings withBreakerWait(Duration value) {
        return new DeliverySettings(retryDelays, timeout, pollInterval, claimBatch, leaseGrace, value);
    }

    public int maxAttempts() {
        return retryDelays.size() + 1;
    }
}
