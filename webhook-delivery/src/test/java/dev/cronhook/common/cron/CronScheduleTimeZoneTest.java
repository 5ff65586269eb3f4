package dev.cronhook.common.cron;

import static dev.cronhook.common.cron.CronTestSupport.at;
import static dev.cronhook.common.cron.CronTestSupport.instants;
import static dev.cronhook.common.cron.CronTestSupport.runs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Wall-clock matching and daylight saving. America/New_York springs forward at 02:00 EST on
 * 2026-03-08 (to 03:00 EDT) and falls back at 02:00 EDT on 2026-11-01 (to 01:00 EST).
 */
class CronScheduleTimeZoneTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void nineOClockInBerlinIsEightUtcInWinterAndSevenInSummer() {
        assertEquals(instants("2026-01-15T08:00Z"), runs("0 9 * * *", BERLIN, "2026-01-15T00:00Z", 1));
        assertEquals(instants("2026-07-15T07:00Z"), runs("0 9 * * *", BERLIN, "2026-07-15T00:00Z", 1));
        // Berlin switches to summer time on 2026-03-29.
        assertEquals(instants("2026-03-28T08:00Z", "2026-03-29T07:00Z"),
                runs("0 9 * * *", BERLIN, "2026-03-28T00:00Z", 2));
    }

    @Test
    void fixedOffsetZone() {
        assertEquals(instants("2026-11-23T04:00Z"), runs("0 9 * * *", ZoneOffset.ofHours(5), "2026-11-22T10:00Z", 1));
    }

    @Test
    void timeSkippedBySpringForwardFiresOnceShiftedByTheGap() {
        assertEquals(instants("2026-03-08T03:30-04:00", "2026-03-09T02:30-04:00", "2026-03-10T02:30-04:00"),
                runs("30 2 * * *", NEW_YORK, "2026-03-07T12:00-05:00", 3));
    }

    @Test
    void shiftedTimeIsFoundEvenWhenTheClockIsAlreadyPastTheGap() {
        // At 03:00 EDT the wall clock has passed 02:30, but the shifted run at 03:30 EDT is still ahead.
        assertEquals(instants("2026-03-08T03:30-04:00", "2026-03-09T02:30-04:00"),
                runs("30 2 * * *", NEW_YORK, "2026-03-08T03:00-04:00", 2));
        assertEquals(instants("2026-03-09T02:30-04:00"), runs("30 2 * * *", NEW_YORK, "2026-03-08T03:30-04:00", 1));
    }

    @Test
    void timeOutsideTheRepeatedHourIsUnaffectedByFallBack() {
        assertEquals(instants("2026-11-01T02:30-05:00", "2026-11-02T02:30-05:00"),
                runs("30 2 * * *", NEW_YORK, "2026-10-31T12:00-04:00", 2));
    }

    @Test
    void timeRepeatedByFallBackFiresOnceAtTheEarlierOffset() {
        assertEquals(instants("2026-11-01T01:30-04:00", "2026-11-02T01:30-05:00"),
                runs("30 1 * * *", NEW_YORK, "2026-10-31T12:00-04:00", 2));
        // Asked during the second pass through 01:xx, it does not fire again that day.
        assertEquals(instants("2026-11-02T01:30-05:00"), runs("30 1 * * *", NEW_YORK, "2026-11-01T01:15-05:00", 1));
    }

    @Test
    void hourlyOnSpringForwardDayFires23Times() {
        List<Instant> day = runsWithin("0 * * * *", "2026-03-08T00:00-05:00", "2026-03-09T00:00-04:00");
        assertEquals(23, day.size());
        // 02:00 does not exist; shifted it would be 03:00 EDT, which fires anyway.
        assertEquals(instants("2026-03-08T00:00-05:00", "2026-03-08T01:00-05:00", "2026-03-08T03:00-04:00",
                "2026-03-08T04:00-04:00"), day.subList(0, 4));
    }

    @Test
    void hourlyOnFallBackDayFires24TimesInItsTwentyFiveHours() {
        List<Instant> day = runsWithin("0 * * * *", "2026-11-01T00:00-04:00", "2026-11-02T00:00-05:00");
        assertEquals(24, day.size());
        assertEquals(instants("2026-11-01T00:00-04:00", "2026-11-01T01:00-04:00", "2026-11-01T02:00-05:00",
                "2026-11-01T03:00-05:00"), day.subList(0, 4));
        assertFalse(day.contains(at("2026-11-01T01:00-05:00")));
    }

    @Test
    void halfHourlyAcrossFallBackSkipsTheRepeatedHalfHours() {
        assertEquals(instants("2026-11-01T01:00-04:00", "2026-11-01T01:30-04:00", "2026-11-01T02:00-05:00",
                        "2026-11-01T02:30-05:00"),
                runs("*/30 * * * *", NEW_YORK, "2026-11-01T00:45-04:00", 4));
    }

    @Test
    void halfHourlyAcrossSpringForwardHasNoDuplicates() {
        // 02:00 and 02:30 shift onto 03:00 and 03:30, which are themselves fire times.
        assertEquals(instants("2026-03-08T01:30-05:00", "2026-03-08T03:00-04:00", "2026-03-08T03:30-04:00",
                        "2026-03-08T04:00-04:00"),
                runs("*/30 * * * *", NEW_YORK, "2026-03-08T01:15-05:00", 4));
    }

    @Test
    void halfHourlyForAWholeYearIsStrictlyIncreasingOnTheHalfHour() {
        List<Instant> year = runsWithin("*/30 * * * *", "2026-01-01T00:00-05:00", "2027-01-01T00:00-05:00");
        // 365 days of 48 wall-clock times, less 02:00 and 02:30 in March, which shift onto 03:00 and
        // 03:30 and fire with them. November's repeated 01:00 and 01:30 fire once, so nothing is added.
        assertEquals(365 * 48 - 2, year.size());
        for (int i = 1; i < year.size(); i++) {
            assertTrue(year.get(i).isAfter(year.get(i - 1)), () -> "not increasing at " + year);
        }
        assertTrue(year.stream().allMatch(run -> run.atZone(NEW_YORK).getMinute() % 30 == 0
                && run.atZone(NEW_YORK).getSecond() == 0));
    }

    @Test
    void halfHourGapMergesShiftedAndRegularTimesInOrder() {
        // Lord Howe Island springs forward by 30 minutes at 02:00 on 2026-10-04. 02:20 is skipped and
        // shifts to 02:50 (+11:00), which is later than the regular 02:40 (+11:00).
        ZoneId lordHowe = ZoneId.of("Australia/Lord_Howe");
        assertEquals(instants("2026-10-04T02:40+11:00", "2026-10-04T02:50+11:00", "2026-10-05T02:20+11:00"),
                runs("20,40 2 * * *", lordHowe, "2026-10-03T12:00Z", 3));
    }

    @Test
    void hoursAroundBothTransitions() {
        assertEquals(instants("2026-03-08T01:00-05:00", "2026-03-08T01:30-05:00", "2026-03-08T03:00-04:00",
                        "2026-03-08T03:30-04:00", "2026-03-09T01:00-04:00"),
                runs("0,30 1-3 * * *", NEW_YORK, "2026-03-08T00:00-05:00", 5));
        assertEquals(instants("2026-11-01T01:00-04:00", "2026-11-01T01:30-04:00", "2026-11-01T02:00-05:00",
                        "2026-11-01T02:30-05:00", "2026-11-01T03:00-05:00", "2026-11-01T03:30-05:00",
                        "2026-11-02T01:00-05:00"),
                runs("0,30 1-3 * * *", NEW_YORK, "2026-11-01T00:00-04:00", 7));
    }

    @ParameterizedTest
    @CsvSource({
            "America/New_York, 2026-03-08", "America/New_York, 2026-11-01",
            "Australia/Lord_Howe, 2026-10-04", "Australia/Lord_Howe, 2026-04-05",
            "Europe/Berlin, 2026-03-29", "Europe/Berlin, 2026-10-25",
            // Samoa skipped all of 2011-12-30.
            "Pacific/Apia, 2011-12-30"})
    void agreesWithResolvingEveryMatchingWallClockMinute(ZoneId zone, LocalDate transitionDay) {
        for (String expression : List.of("*/30 * * * *", "0 * * * *", "20,40 2 * * *", "30 2 * * *",
                "30 1 * * *", "15,45 1-3 * * *", "*/7 0-4 * * *", "0 12 * * *")) {
            // Every matching wall-clock minute over three days, resolved as ZonedDateTime.ofLocal does.
            CronPattern pattern = CronPattern.parse(expression);
            TreeSet<Instant> expected = new TreeSet<>();
            LocalDateTime local = transitionDay.minusDays(1).atStartOfDay();
            for (; local.isBefore(transitionDay.plusDays(2).atStartOfDay()); local = local.plusMinutes(1)) {
                if (pattern.firstMatch(local, local.plusSeconds(1)).isPresent()) {
                    expected.add(ZonedDateTime.ofLocal(local, zone, null).toInstant());
                }
            }
            Instant from = transitionDay.atStartOfDay(zone).toInstant();
            Instant until = transitionDay.plusDays(1).atTime(23, 0).atZone(zone).toInstant();
            List<Instant> actual = CronSchedule.parse(expression, zone).next(from.minusSeconds(1), 500).stream()
                    .filter(run -> run.isBefore(until)).toList();
            assertEquals(List.copyOf(expected.subSet(from, until)), actual, expression + " in " + zone);
        }
    }

    /** All runs in [from, until). */
    private static List<Instant> runsWithin(String expression, String from, String until) {
        Instant end = at(until);
        CronSchedule schedule = CronSchedule.parse(expression, NEW_YORK);
        return schedule.next(at(from).minusSeconds(1), 20_000).stream().filter(run -> run.isBefore(end)).toList();
    }
}
