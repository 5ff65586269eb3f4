package dev.cronhook.incident.checks;

import java.time.Duration;
import java.time.Instant;

/**
 * A heartbeat check and where it stands.
 *
 * @param pingKey the UUID of its ping URL, a secret apart from the id
 * @param integrationId null for the built-in integration
 * @param tags space-separated, as Healthchecks.io has them; empty for none
 * @param status as stored: never {@link CheckStatus#GRACE}
 * @param nextExpectedAt when the next success ping is expected; null while new or paused
 * @param dueAt when the evaluator looks at it next (its deadline, or the next period it stays down); null when it
 *              cannot go down
 * @param pings how many pings it has had; the number of the last
 * @param version incremented by every change of the stored row
 */
public record Check(
        String id,
        String pingKey,
        String name,
        CheckSchedule schedule,
        Duration grace,
        String integrationId,
        String tags,
        CheckStatus status,
        Instant lastPingAt,
        Instant lastStartAt,
        Long lastDurationMs,
        Instant nextExpectedAt,
        Instant dueAt,
        long pings,
        long version,
        Instant createdAt,
        Instant updatedAt) {

    Check withState(CheckStatus status, Instant lastPingAt, Instant lastStartAt, Long lastDurationMs,
                    Instant nextExpectedAt, Instant dueAt, long pings, Instant now) {
        return new Check(id, pingKey, name, schedule, grace, integrationId, tags, status, lastPingAt, lastStartAt,
                lastDurationMs, nextExpectedAt, dueAt, pings, version + 1, createdAt, now);
    }

    /** The same check with a new definition; its state is worked out again by {@link CheckRules#redefined}. */
    public Check withDefinition(String name, CheckSchedule schedule, Duration grace, String integrationId,
                                String tags) {
        return new Check(id, pingKey, name, schedule, grace, integrationId, tags, status, lastPingAt, lastStartAt,
                lastDurationMs, nextExpectedAt, dueAt, pings, version, createdAt, updatedAt);
    }
}
