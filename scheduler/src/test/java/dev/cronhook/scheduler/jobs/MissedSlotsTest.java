package dev.cronhook.scheduler.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** PRODUCT.md section 10, {@code catch_up}: which missed slots run after downtime, and how many are reported missed. */
class MissedSlotsTest {
    private final Schedules schedules = new Schedules();

    private static JobDefinition cron(String expression, String zone, CatchUp catchUp, Instant endAt) {
        return new JobDefinition("n", URI.create("http://e.com"), "POST", Map.of(), null, expression, ZoneId.of(zone),
                null, endAt, null, Concurrency.ALLOW, catchUp, 0, Completion.RESPONSE, 3600, 30, true);
    }

    private static Instant at(String text) {
        return Instant.parse(text);
    }

    @Test
    void latestRunsTheMostRecentMissedSlotAndCountsTheOthers() {
        MissedSlots missed = schedules.missed(cron("0 * * * *", "UTC", CatchUp.LATEST, null),
                at("2026-11-22T01:00:00Z"), at("2026-11-22T05:30:00Z"));
        assertEquals(List.of(at("2026-11-22T05:00:00Z")), missed.run());
        assertEquals(4, missed.notRun());
        assertEquals(at("2026-11-22T01:00:00Z"), missed.firstNotRun());
        assertEquals(at("2026-11-22T04:00:00Z"), missed.lastNotRun());
    }

    @Test
    void allRunsEveryMissedSlotOldestFirstAndReportsNone() {
        MissedSlots missed = schedules.missed(cron("*/10 * * * *", "UTC", CatchUp.ALL, null),
                at("2026-11-22T01:00:00Z"), at("2026-11-22T01:30:00Z"));
        assertEquals(List.of(at("2026-11-22T01:00:00Z"), at("2026-11-22T01:10:00Z"), at("2026-11-22T01:20:00Z"),
                at("2026-11-22T01:30:00Z")), missed.run(), "a slot at the moment of the claim is missed too");
        assertEquals(0, missed.notRun());
        assertNull(missed.firstNotRun());
        assertNull(missed.lastNotRun());
    }

    @Test
    void allRunsTheMostRecentThousandAndReportsTheOlderOnes() {
        Instant first = at("2026-11-22T00:00:00Z");
        MissedSlots missed = schedules.missed(cron("* * * * * *", "UTC", CatchUp.ALL, null), first,
                first.plusSeconds(1499));
        assertEquals(IntStream.range(500, 1500).mapToObj(first::plusSeconds).toList(), missed.run());
        assertEquals(500, missed.notRun());
        assertEquals(first, missed.firstNotRun());
        assertEquals(first.plusSeconds(499), missed.lastNotRun());
    }

    @Test
    void noneRunsNothingAndReportsEverySlot() {
        MissedSlots missed = schedules.missed(cron("*/15 * * * *", "UTC", CatchUp.NONE, null),
                at("2026-11-22T01:00:00Z"), at("2026-11-22T01:59:59Z"));
        assertEquals(List.of(), missed.run());
        assertEquals(4, missed.notRun());
        assertEquals(at("2026-11-22T01:00:00Z"), missed.firstNotRun());
        assertEquals(at("2026-11-22T01:45:00Z"), missed.lastNotRun());
    }

    /** Europe/Berlin falls back at 03:00 CEST on 25 October 2026: 02:00 comes twice and an hourly job fires once. */
    @Test
    void slotsAcrossAFallBackAreCountedAsTheScheduleFiresThem() {
        MissedSlots missed = schedules.missed(cron("0 * * * *", "Europe/Berlin", CatchUp.ALL, null),
                at("2026-10-24T23:00:00Z"), at("2026-10-25T03:30:00Z"));
        // 01:00 CEST, 02:00 CEST, 03:00 CET, 04:00 CET: four slots in four and a half hours of wall clock.
        assertEquals(List.of(at("2026-10-24T23:00:00Z"), at("2026-10-25T00:00:00Z"), at("2026-10-25T02:00:00Z"),
                at("2026-10-25T03:00:00Z")), missed.run());
    }

    /** Europe/Berlin springs forward at 02:00 CET on 29 March 2026: a daily 02:30 slot fires at 03:30 CEST. */
    @Test
    void aSlotInASpringForwardGapIsTheShiftedOne() {
        MissedSlots missed = schedules.missed(cron("30 2 * * *", "Europe/Berlin", CatchUp.LATEST, null),
                at("2026-03-28T01:30:00Z"), at("2026-03-29T12:00:00Z"));
        assertEquals(List.of(at("2026-03-29T01:30:00Z")), missed.run());
        assertEquals(1, missed.notRun());
    }

    @Test
    void noSlotAfterTheEndIsMissed() {
        MissedSlots missed = schedules.missed(cron("0 * * * *", "UTC", CatchUp.LATEST, at("2026-11-22T03:00:00Z")),
                at("2026-11-22T01:00:00Z"), at("2026-11-22T09:00:00Z"));
        assertEquals(List.of(at("2026-11-22T03:00:00Z")), missed.run());
        assertEquals(2, missed.notRun());
    }

    /** A week of an every-second job: the slots in the middle are counted from their gap, the recent ones walked. */
    @Test
    void aVeryLongOutageIsCountedWithoutWalkingEverySlot() {
        Instant first = at("2026-11-15T00:00:00Z");
        Instant now = first.plusSeconds(7 * 86_400);
        MissedSlots all = schedules.missed(cron("* * * * * *", "UTC", CatchUp.ALL, null), first, now);
        assertEquals(IntStream.range(0, 1000).mapToObj(i -> now.minusSeconds(999 - i)).toList(), all.run());
        assertEquals(7 * 86_400 + 1 - 1000, all.notRun());
        assertEquals(now.minusSeconds(1000), all.lastNotRun());
        MissedSlots latest = schedules.missed(cron("* * * * * *", "UTC", CatchUp.LATEST, null), first, now);
        assertEquals(List.of(now), latest.run());
        assertEquals(7 * 86_400, latest.notRun());
        assertTrue(MissedSlots.MAX_WALKED < latest.notRun());
    }
}
