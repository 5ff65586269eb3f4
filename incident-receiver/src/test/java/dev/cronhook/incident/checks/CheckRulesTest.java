package dev.cronhook.incident.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cronhook.common.cron.CronSchedule;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The rules of heartbeat checks, on times given by the test. */
class CheckRulesTest {
    private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    private static Check check(CheckSchedule schedule, Duration grace) {
        return new Check("hc_1", "6f1c8a0e-0000-4000-8000-000000000001", "backup", schedule, grace, "int_1", "",
                CheckStatus.NEW, null, null, null, null, null, 0, 0, T, T);
    }

    private static Check every(long periodSeconds, long graceSeconds) {
        return check(new CheckSchedule.Every(Duration.ofSeconds(periodSeconds)), Duration.ofSeconds(graceSeconds));
    }

    private static CheckRules.Change success(Check check, Instant at) {
        return CheckRules.ping(check, PingKind.SUCCESS, null, at);
    }

    private static Instant at(String isoWithOffset) {
        return OffsetDateTime.parse(isoWithOffset).toInstant();
    }

    @Nested
    class PeriodAndGrace {
        @Test
        void aSuccessExpectsTheNextOnePeriodLaterAndIsLateOnlyAfterTheGrace() {
            Check up = success(every(3600, 300), T).check();
            assertEquals(CheckStatus.UP, up.status());
            assertEquals(T.plusSeconds(3600), up.nextExpectedAt());
            assertEquals(T.plusSeconds(3900), up.dueAt());
            assertEquals(CheckStatus.UP, CheckRules.shown(up, T.plusSeconds(3599)));
            assertEquals(CheckStatus.GRACE, CheckRules.shown(up, T.plusSeconds(3600)));
            assertEquals(Optional.empty(), CheckRules.late(up, T.plusSeconds(3899)));
            CheckRules.Change late = CheckRules.late(up, T.plusSeconds(3900)).orElseThrow();
            assertEquals(CheckStatus.DOWN, late.check().status());
            assertEquals(CheckRules.Alarm.TRIGGER, late.alarm());
            assertEquals(CheckStatus.UP, late.flip().from());
            assertEquals(CheckStatus.DOWN, late.flip().to());
            assertTrue(late.note().contains("2026-12-01T11:00:00Z"), late.note());
        }

        @Test
        void eachFurtherPeriodDownCountsOnceAndASuccessResolves() {
            Check down = CheckRules.late(success(every(60, 30), T).check(), T.plusSeconds(90)).orElseThrow().check();
            assertEquals(T.plusSeconds(120), down.nextExpectedAt());
            assertEquals(Optional.empty(), CheckRules.late(down, T.plusSeconds(149)));
            CheckRules.Change still = CheckRules.late(down, T.plusSeconds(150)).orElseThrow();
            assertNull(still.flip(), "no flip while it stays down");
            assertEquals(CheckRules.Alarm.TRIGGER, still.alarm());
            assertEquals(T.plusSeconds(180), still.check().nextExpectedAt());

            CheckRules.Change back = success(still.check(), T.plusSeconds(160));
            assertEquals(CheckStatus.UP, back.check().status());
            assertEquals(CheckRules.Alarm.RESOLVE, back.alarm());
            assertEquals(CheckStatus.DOWN, back.flip().from());
            assertEquals(T.plusSeconds(220), back.check().nextExpectedAt());
        }

        @Test
        void aCheckLookedAtLongAfterItsDeadlineCountsOnceNotOncePerPeriodMissed() {
            Check up = success(every(60, 30), T).check();
            CheckRules.Change late = CheckRules.late(up, T.plusSeconds(3600)).orElseThrow();
            assertTrue(late.check().dueAt().isAfter(T.plusSeconds(3600)), "" + late.check().dueAt());
            assertEquals(Optional.empty(), CheckRules.late(late.check(), T.plusSeconds(3600)));
        }

        @Test
        void aNewCheckNeverGoesDownAndItsFirstSuccessResolvesWhatAPauseMayHaveLeftOpen() {
            Check fresh = every(60, 30);
            assertEquals(Optional.empty(), CheckRules.late(fresh, T.plus(Duration.ofDays(30))));
            CheckRules.Change first = success(fresh, T);
            // Resumed checks are new too; for one that never went down the resolve finds nothing and is ignored.
            assertEquals(CheckRules.Alarm.RESOLVE, first.alarm());
            assertEquals(CheckStatus.NEW, first.flip().from());
            assertEquals(CheckStatus.UP, first.flip().to());
        }

        @Test
        void aSuccessWhileUpChangesNoStatus() {
            Check up = success(every(60, 30), T).check();
            CheckRules.Change again = success(up, T.plusSeconds(59));
            assertNull(again.flip());
            assertEquals(CheckRules.Alarm.NONE, again.alarm());
            assertEquals(2, again.check().pings());
            assertEquals(up.version() + 1, again.check().version());
        }
    }

    @Nested
    class CronAndGrace {
        @Test
        void theDeadlineIsTheNextSlotAfterTheLastSuccessPlusTheGrace() {
            Check cron = check(new CheckSchedule.Cron(CronSchedule.parse("0 3 * * *", ZoneId.of("Europe/Berlin"))),
                    Duration.ofMinutes(30));
            Check up = success(cron, at("2026-12-01T03:05+01:00")).check();
            assertEquals(at("2026-12-02T03:00+01:00"), up.nextExpectedAt());
            assertEquals(at("2026-12-02T03:30+01:00"), up.dueAt());
        }

        @Test
        void aSlotSkippedBySpringForwardIsExpectedShiftedByTheGap() {
            Check cron = check(new CheckSchedule.Cron(CronSchedule.parse("30 2 * * *", NEW_YORK)),
                    Duration.ofMinutes(10));
            Check up = success(cron, at("2026-03-07T02:31-05:00")).check();
            assertEquals(at("2026-03-08T03:30-04:00"), up.nextExpectedAt());
            assertEquals(at("2026-03-08T03:40-04:00"), up.dueAt());
            assertEquals(Optional.empty(), CheckRules.late(up, at("2026-03-08T03:39-04:00")));
            assertEquals(CheckStatus.DOWN, CheckRules.late(up, at("2026-03-08T03:40-04:00")).orElseThrow()
                    .check().status());
        }

        @Test
        void aSlotRepeatedByFallBackIsExpectedOnceAtTheEarlierOffset() {
            Check cron = check(new CheckSchedule.Cron(CronSchedule.parse("30 1 * * *", NEW_YORK)),
                    Duration.ofMinutes(5));
            Check up = success(cron, at("2026-10-31T01:31-04:00")).check();
            assertEquals(at("2026-11-01T01:30-04:00"), up.nextExpectedAt());
            Check onTime = success(up, at("2026-11-01T01:32-04:00")).check();
            assertEquals(at("2026-11-02T01:30-05:00"), onTime.nextExpectedAt(), "the repeated 01:30 is not a slot");
        }
    }

    @Nested
    class Pings {
        @Test
        void failOrANonZeroExitCodeSetsDownAtOnceAndEveryOneTriggers() {
            Check up = success(every(3600, 60), T).check();
            CheckRules.Change fail = CheckRules.ping(up, PingKind.FAIL, null, T.plusSeconds(10));
            assertEquals(CheckStatus.DOWN, fail.check().status());
            assertEquals(CheckRules.Alarm.TRIGGER, fail.alarm());
            assertEquals("fail ping", fail.flip().reason());
            CheckRules.Change exit = CheckRules.ping(fail.check(), PingKind.FAIL, 3, T.plusSeconds(20));
            assertNull(exit.flip());
            assertEquals(CheckRules.Alarm.TRIGGER, exit.alarm());
            assertEquals("ping with exit code 3", exit.note());
        }

        @Test
        void aFailOnANewCheckSetsItDown() {
            CheckRules.Change fail = CheckRules.ping(every(60, 60), PingKind.FAIL, 1, T);
            assertEquals(CheckStatus.DOWN, fail.check().status());
            assertEquals(CheckRules.Alarm.TRIGGER, fail.alarm());
        }

        @Test
        void aSuccessAfterStartRecordsTheRunsDuration() {
            Check up = success(every(3600, 60), T).check();
            Check started = CheckRules.ping(up, PingKind.START, null, T.plusSeconds(100)).check();
            assertEquals(T.plusSeconds(100), started.lastStartAt());
            assertEquals(CheckStatus.UP, started.status());
            CheckRules.Change done = success(started, T.plusMillis(142_500));
            assertEquals(42_500L, done.durationMs());
            assertEquals(42_500L, done.check().lastDurationMs());
            assertNull(done.check().lastStartAt());
            assertNull(success(done.check(), T.plusSeconds(200)).durationMs(), "no start, no duration");
        }

        @Test
        void aStartWithNoSuccessWithinTheGraceGoesDown() {
            Check up = success(every(3600, 60), T).check();
            Check started = CheckRules.ping(up, PingKind.START, null, T.plusSeconds(100)).check();
            assertEquals(T.plusSeconds(160), started.dueAt());
            CheckRules.Change late = CheckRules.late(started, T.plusSeconds(160)).orElseThrow();
            assertEquals(CheckStatus.DOWN, late.check().status());
            assertTrue(late.note().startsWith("started at 2026-12-01T10:01:40Z"), late.note());
            assertEquals(T.plusSeconds(3600), late.check().nextExpectedAt(), "the expected time stays");
        }
    }

    @Nested
    class PauseAndChanges {
        @Test
        void aPausedCheckNeverGoesDownAndResumesAsNew() {
            Check up = success(every(60, 30), T).check();
            Check paused = CheckRules.pause(up, T.plusSeconds(1)).orElseThrow().check();
            assertNull(paused.dueAt());
            assertEquals(Optional.empty(), CheckRules.late(paused, T.plus(Duration.ofDays(1))));
            assertEquals(Optional.empty(), CheckRules.pause(paused, T.plusSeconds(2)));
            Check resumed = CheckRules.resume(paused, T.plusSeconds(3)).orElseThrow().check();
            assertEquals(CheckStatus.NEW, resumed.status());
            assertEquals(Optional.empty(), CheckRules.late(resumed, T.plus(Duration.ofDays(1))));
        }

        @Test
        void aSuccessOnAPausedCheckSetsItUpAndResolves() {
            Check paused = CheckRules.pause(success(every(60, 30), T).check(), T).orElseThrow().check();
            CheckRules.Change ping = success(paused, T.plusSeconds(5));
            assertEquals(CheckStatus.UP, ping.check().status());
            assertEquals(CheckRules.Alarm.RESOLVE, ping.alarm());
        }

        @Test
        void aChangeKeepsTheDeadlineOfARunUnderWay() {
            Check up = success(every(3600, 60), T).check();
            Check started = CheckRules.ping(up, PingKind.START, null, T.plusSeconds(100)).check();
            Check renamed = CheckRules.redefined(started.withDefinition("renamed", started.schedule(),
                    started.grace(), started.integrationId(), started.tags()), T.plusSeconds(110));
            assertEquals(T.plusSeconds(160), renamed.dueAt());
        }

        @Test
        void aShorterPeriodMovesTheDeadlineFromTheLastPing() {
            Check up = success(every(3600, 60), T).check();
            Check shorter = CheckRules.redefined(up.withDefinition(up.name(),
                    new CheckSchedule.Every(Duration.ofSeconds(60)), up.grace(), up.integrationId(), up.tags()),
                    T.plusSeconds(1000));
            assertEquals(T.plusSeconds(60), shorter.nextExpectedAt());
            assertTrue(CheckRules.late(shorter, T.plusSeconds(1000)).isPresent());
        }
    }
}
