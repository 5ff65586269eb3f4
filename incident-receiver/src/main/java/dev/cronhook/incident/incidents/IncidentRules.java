package dev.cronhook.incident.incidents;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The incident rules of PRODUCT.md section 8 as pure functions of the open incident's state, the event and the time.
 * The store applies what they decide in one transaction; the database's unique key keeps "one open incident per key".
 */
public final class IncidentRules {
    /** More grouped events than this within {@link #GROUP_WINDOW} rate-limit the incident. */
    public static final int GROUP_LIMIT = 20;
    public static final Duration GROUP_WINDOW = Duration.ofSeconds(60);
    static final Duration RATE_LIMIT = Duration.ofSeconds(60);

    private IncidentRules() {
    }

    /** The rate-limit counters of an open incident. */
    public record GroupingState(Instant windowStartedAt, int windowCount, Instant rateLimitedUntil) {
        static final GroupingState FRESH = new GroupingState(null, 0, null);
    }

    /** What is known of the open incident with the event's key. */
    public record OpenIncident(String id, IncidentStatus status, GroupingState grouping) {
    }

    public sealed interface Decision {
        /** No incident is open for the key: open one. */
        record Open() implements Decision {
        }

        /**
         * Count the event on the open incident.
         *
         * @param onTimeline false while the incident is rate-limited
         * @param limitStarts true for the event that starts a rate-limited period
         */
        record Group(GroupingState next, boolean onTimeline, boolean limitStarts) implements Decision {
            boolean rateLimited() {
                return !onTimeline;
            }
        }

        record Resolve() implements Decision {
        }

        /** @param already the incident was acknowledged before: nothing changes and nobody is alerted */
        record Acknowledge(boolean already) implements Decision {
        }

        record Annotate() implements Decision {
        }

        record Ignore(String reason) implements Decision {
        }
    }

    public static Decision decide(ParsedEvent event, Optional<OpenIncident> open, Instant now) {
        return switch (event) {
            case ParsedEvent.Trigger t -> open.<Decision>map(o -> group(o.grouping(), now))
                    .orElseGet(Decision.Open::new);
            case ParsedEvent.Resolve r -> open.<Decision>map(o -> new Decision.Resolve())
                    .orElseGet(() -> new Decision.Ignore("no open incident has this key"));
            case ParsedEvent.Acknowledge a -> open.<Decision>map(o ->
                            new Decision.Acknowledge(o.status() == IncidentStatus.ACKNOWLEDGED))
                    .orElseGet(() -> new Decision.Ignore("no open incident has this key"));
            case ParsedEvent.Annotate a -> open.<Decision>map(o -> new Decision.Annotate())
                    .orElseGet(() -> new Decision.Ignore("no open incident has this key"));
            case ParsedEvent.Ignore i -> new Decision.Ignore(i.reason());
        };
    }

    /**
     * What is open for the key once {@code decision} is applied to {@code open}: what the next event with the same key
     * finds. {@code openedId} names the incident an {@link Decision.Open} creates.
     */
    public static Optional<OpenIncident> after(Optional<OpenIncident> open, Decision decision, String openedId) {
        return switch (decision) {
            case Decision.Open o -> Optional.of(new OpenIncident(openedId, IncidentStatus.TRIGGERED,
                    GroupingState.FRESH));
            case Decision.Group g -> open.map(o -> new OpenIncident(o.id(), o.status(), g.next()));
            case Decision.Resolve r -> Optional.empty();
            case Decision.Acknowledge a -> open.map(o -> new OpenIncident(o.id(), IncidentStatus.ACKNOWLEDGED,
                    o.grouping()));
            case Decision.Annotate a -> open;
            case Decision.Ignore i -> open;
        };
    }

    /**
     * One more event on an open incident. Events are counted in a window that starts with the first of them; the
     * one that makes more than {@link #GROUP_LIMIT} in {@link #GROUP_WINDOW} starts a {@link #RATE_LIMIT} during which
     * events are counted but kept off the timeline. The next event after that starts a new window.
     */
    static Decision.Group group(GroupingState state, Instant now) {
        if (state.rateLimitedUntil() != null && now.isBefore(state.rateLimitedUntil())) {
            return new Decision.Group(state, false, false);
        }
        boolean windowOpen = state.windowStartedAt() != null && state.rateLimitedUntil() == null
                && now.isBefore(state.windowStartedAt().plus(GROUP_WINDOW));
        GroupingState counted = windowOpen
                ? new GroupingState(state.windowStartedAt(), state.windowCount() + 1, null)
                : new GroupingState(now, 1, null);
        if (counted.windowCount() > GROUP_LIMIT) {
            return new Decision.Group(new GroupingState(counted.windowStartedAt(), counted.windowCount(),
                    now.plus(RATE_LIMIT)), false, true);
        }
        return new Decision.Group(counted, true, false);
    }

    /** When an acknowledgement made at {@code acknowledgedAt} runs out; null when the integration sets no timeout. */
    public static Instant ackExpiresAt(Instant acknowledgedAt, Integer ackTimeoutMinutes) {
        return ackTimeoutMinutes == null ? null : acknowledgedAt.plus(Duration.ofMinutes(ackTimeoutMinutes));
    }

    /** True when an acknowledged incident is due to fall back to triggered. */
    public static boolean ackExpired(IncidentStatus status, Instant ackExpiresAt, Instant now) {
        return status == IncidentStatus.ACKNOWLEDGED && ackExpiresAt != null && !now.isBefore(ackExpiresAt);
    }
}
