package dev.cronhook.incident.incidents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cronhook.incident.incidents.IncidentRules.Decision;
import dev.cronhook.incident.incidents.IncidentRules.GroupingState;
import dev.cronhook.incident.incidents.IncidentRules.OpenIncident;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The rules of PRODUCT.md section 8, without a database: the time is given. */
class IncidentRulesTest {
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final ParsedEvent.Trigger TRIGGER = new ParsedEvent.Trigger("k", "t", null, null, null);
    private static final ParsedEvent.Resolve RESOLVE = new ParsedEvent.Resolve("k", null);
    private static final ParsedEvent.Acknowledge ACK = new ParsedEvent.Acknowledge("k", null);

    private static Optional<OpenIncident> open(IncidentStatus status, GroupingState grouping) {
        return Optional.of(new OpenIncident("inc_1", status, grouping));
    }

    @Test
    void aTriggerWithNothingOpenOpensAnIncident() {
        assertInstanceOf(Decision.Open.class, IncidentRules.decide(TRIGGER, Optional.empty(), T0));
    }

    @Test
    void aTriggerWithAnOpenIncidentGroupsIntoIt() {
        Decision.Group group = assertInstanceOf(Decision.Group.class,
                IncidentRules.decide(TRIGGER, open(IncidentStatus.TRIGGERED, GroupingState.FRESH), T0));
        assertTrue(group.onTimeline());
        assertEquals(1, group.next().windowCount());

        assertInstanceOf(Decision.Group.class,
                IncidentRules.decide(TRIGGER, open(IncidentStatus.ACKNOWLEDGED, GroupingState.FRESH), T0),
                "an acknowledged incident is open too");
    }

    @Test
    void aResolveClosesTheOpenIncidentAndIsIgnoredWithNoneOpen() {
        assertInstanceOf(Decision.Resolve.class,
                IncidentRules.decide(RESOLVE, open(IncidentStatus.ACKNOWLEDGED, GroupingState.FRESH), T0));
        assertInstanceOf(Decision.Ignore.class, IncidentRules.decide(RESOLVE, Optional.empty(), T0));
    }

    @Test
    void aTriggerAfterAResolveOpensANewIncident() {
        // Once resolved, the incident no longer holds the key: the store finds nothing open.
        assertInstanceOf(Decision.Resolve.class,
                IncidentRules.decide(RESOLVE, open(IncidentStatus.TRIGGERED, GroupingState.FRESH), T0));
        assertInstanceOf(Decision.Open.class, IncidentRules.decide(TRIGGER, Optional.empty(), T0.plusSeconds(1)));
    }

    @Test
    void acknowledgingTwiceChangesNothingTheSecondTime() {
        assertFalse(assertInstanceOf(Decision.Acknowledge.class,
                IncidentRules.decide(ACK, open(IncidentStatus.TRIGGERED, GroupingState.FRESH), T0)).already());
        assertTrue(assertInstanceOf(Decision.Acknowledge.class,
                IncidentRules.decide(ACK, open(IncidentStatus.ACKNOWLEDGED, GroupingState.FRESH), T0)).already());
        assertInstanceOf(Decision.Ignore.class, IncidentRules.decide(ACK, Optional.empty(), T0));
    }

    @Test
    void twentyGroupedEventsInAMinuteAreListedAndTheTwentyFirstStartsTheRateLimit() {
        GroupingState state = GroupingState.FRESH;
        Instant now = T0;
        for (int i = 1; i <= 20; i++) {
            Decision.Group group = IncidentRules.group(state, now);
            assertTrue(group.onTimeline(), "event " + i + " is listed");
            state = group.next();
            now = now.plusSeconds(2);
        }
        Decision.Group limited = IncidentRules.group(state, now);
        assertTrue(limited.rateLimited());
        assertTrue(limited.limitStarts());
        assertEquals(now.plus(Duration.ofSeconds(60)), limited.next().rateLimitedUntil());

        Decision.Group during = IncidentRules.group(limited.next(), now.plusSeconds(59));
        assertTrue(during.rateLimited(), "still limited 59 s later");
        assertFalse(during.limitStarts());

        Decision.Group after = IncidentRules.group(during.next(), now.plusSeconds(60));
        assertTrue(after.onTimeline(), "listed again once the 60 s are over");
        assertEquals(1, after.next().windowCount(), "a new window starts");
        assertNull(after.next().rateLimitedUntil());
    }

    @Test
    void eventsSpreadOverMoreThanAMinuteAreNeverRateLimited() {
        GroupingState state = GroupingState.FRESH;
        Instant now = T0;
        for (int i = 1; i <= 100; i++) {
            Decision.Group group = IncidentRules.group(state, now);
            assertTrue(group.onTimeline(), "event " + i + " is listed");
            state = group.next();
            now = now.plusSeconds(4); // 15 per minute
        }
    }

    @Test
    void theAcknowledgementRunsOutAfterTheTimeout() {
        Instant acknowledged = T0;
        Instant expires = IncidentRules.ackExpiresAt(acknowledged, 30);

        assertEquals(T0.plus(Duration.ofMinutes(30)), expires);
        assertFalse(IncidentRules.ackExpired(IncidentStatus.ACKNOWLEDGED, expires, T0.plus(Duration.ofMinutes(29))));
        assertTrue(IncidentRules.ackExpired(IncidentStatus.ACKNOWLEDGED, expires, T0.plus(Duration.ofMinutes(30))));
        assertFalse(IncidentRules.ackExpired(IncidentStatus.RESOLVED, expires, T0.plus(Duration.ofHours(1))),
                "a resolved incident stays resolved");
    }

    @Test
    void withoutATimeoutTheAcknowledgementNeverRunsOut() {
        assertNull(IncidentRules.ackExpiresAt(T0, null));
        assertFalse(IncidentRules.ackExpired(IncidentStatus.ACKNOWLEDGED, null, T0.plus(Duration.ofDays(365))));
    }

    @Test
    void whatTheNextEventWithTheKeyFindsOpen() {
        Optional<OpenIncident> triggered = open(IncidentStatus.TRIGGERED, GroupingState.FRESH);

        Optional<OpenIncident> opened = IncidentRules.after(Optional.empty(),
                IncidentRules.decide(TRIGGER, Optional.empty(), T0), "inc_2");
        Optional<OpenIncident> grouped = IncidentRules.after(triggered,
                IncidentRules.decide(TRIGGER, triggered, T0), "unused");
        Optional<OpenIncident> acknowledged = IncidentRules.after(triggered,
                IncidentRules.decide(ACK, triggered, T0), "unused");

        assertEquals(Optional.of(new OpenIncident("inc_2", IncidentStatus.TRIGGERED, GroupingState.FRESH)), opened);
        assertEquals(Optional.of(new OpenIncident("inc_1", IncidentStatus.TRIGGERED, new GroupingState(T0, 1, null))),
                grouped);
        assertEquals(Optional.of(new OpenIncident("inc_1", IncidentStatus.ACKNOWLEDGED, GroupingState.FRESH)),
                acknowledged);
        assertEquals(Optional.empty(), IncidentRules.after(triggered, IncidentRules.decide(RESOLVE, triggered, T0),
                "unused"));
        assertEquals(Optional.empty(), IncidentRules.after(Optional.empty(),
                IncidentRules.decide(RESOLVE, Optional.empty(), T0), "unused"), "a resolve with nothing open");
    }
}
