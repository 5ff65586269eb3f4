package dev.cronhook.scheduler.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URI;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** PRODUCT.md section 10: no run of a cron job after its {@code end_at}, and its status from the time it is read. */
class JobEndTest {
    private final Schedules schedules = new Schedules();

    private static JobDefinition cron(String expression, String zone, Instant endAt, boolean enabled) {
        return new JobDefinition("n", URI.create("http://e.com"), "POST", Map.of(), null, expression, ZoneId.of(zone),
                null, endAt, null, Concurrency.ALLOW, CatchUp.LATEST, 0, Completion.RESPONSE, 3600, 30, enabled);
    }

    @Test
    void aSlotAtTheEndRunsAndNoneAfter() {
        Instant end = Instant.parse("2026-11-22T10:10:00Z");
        JobDefinition every5 = cron("*/5 * * * *", "UTC", end, true);
        assertEquals(end, schedules.nextRun(every5, Instant.parse("2026-11-22T10:07:00Z")));
        assertNull(schedules.nextRun(every5, end));
        assertEquals(List.of(Instant.parse("2026-11-22T10:05:00Z"), end),
                schedules.nextRuns(every5, Instant.parse("2026-11-22T10:01:00Z"), 10));
    }

    /**
     * The end is an instant, not a wall-clock time: Berlin's 02:30 on the autumn change fires once, at the earlier
     * offset (00:30Z), which is before an end of 01:00Z; the wall-clock 02:30 again at 01:30Z is no slot, and the
     * next day's 02:30 (01:30Z) is after the end.
     */
    @Test
    void theEndIsAnInstantAcrossADaylightSavingChange() {
        JobDefinition nightly = cron("30 2 * * *", "Europe/Berlin", Instant.parse("2026-10-25T01:00:00Z"), true);
        Instant after = Instant.parse("2026-10-24T12:00:00Z");
        assertEquals(List.of(Instant.parse("2026-10-25T00:30:00Z")), schedules.nextRuns(nightly, after, 5));
        assertEquals(Instant.parse("2026-10-25T00:30:00Z"), schedules.nextRun(nightly, after));
        assertNull(schedules.nextRun(nightly, Instant.parse("2026-10-25T00:30:00Z")));
    }

    @Test
    void noEndMeansTheScheduleGoesOn() {
        JobDefinition hourly = cron("0 * * * *", "UTC", null, true);
        assertEquals(24, schedules.nextRuns(hourly, Instant.parse("2026-11-22T10:00:00Z"), 24).size());
    }

    @Test
    void statusIsActivePausedOrEndedOnceTheEndHasPassed() {
        Instant end = Instant.parse("2026-11-22T10:10:00Z");
        assertEquals(CronStatus.ACTIVE, CronStatus.of(cron("* * * * *", "UTC", end, true), end));
        assertEquals(CronStatus.PAUSED, CronStatus.of(cron("* * * * *", "UTC", end, false), end));
        assertEquals(CronStatus.ENDED, CronStatus.of(cron("* * * * *", "UTC", end, true), end.plusMillis(1)));
        assertEquals(CronStatus.ENDED, CronStatus.of(cron("* * * * *", "UTC", end, false), end.plusMillis(1)),
                "a paused job whose end passed will never run again");
        assertEquals(CronStatus.ACTIVE, CronStatus.of(cron("* * * * *", "UTC", null, true), Instant.MAX));
    }
}
