package dev.cronhook.common.cron;

import static dev.cronhook.common.cron.CronTestSupport.at;
import static dev.cronhook.common.cron.CronTestSupport.instants;
import static dev.cronhook.common.cron.CronTestSupport.runsUtc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Fire times of valid expressions, evaluated in UTC so only the syntax is under test. */
class CronScheduleSyntaxTest {

    // A Sunday, mid-morning, at a non-zero second.
    private static final String SUNDAY = "2026-11-22T10:15:30Z";

    @ParameterizedTest
    @ValueSource(strings = {"@yearly", "@annually", "@YEARLY"})
    void yearlyMacrosFireAtNewYear(String macro) {
        assertEquals(instants("2027-01-01T00:00Z", "2028-01-01T00:00Z"), runsUtc(macro, SUNDAY, 2));
    }

    @Test
    void monthlyMacroFiresOnTheFirst() {
        assertEquals(instants("2026-12-01T00:00Z", "2027-01-01T00:00Z"), runsUtc("@monthly", SUNDAY, 2));
    }

    @Test
    void weeklyMacroFiresOnSundayMidnight() {
        assertEquals(instants("2026-11-29T00:00Z", "2026-12-06T00:00Z"), runsUtc("@weekly", SUNDAY, 2));
    }

    @ParameterizedTest
    @ValueSource(strings = {"@daily", "@midnight"})
    void dailyMacrosFireAtMidnight(String macro) {
        assertEquals(instants("2026-11-23T00:00Z", "2026-11-24T00:00Z"), runsUtc(macro, SUNDAY, 2));
    }

    @Test
    void hourlyMacroFiresOnTheHour() {
        assertEquals(instants("2026-11-22T11:00Z", "2026-11-22T12:00Z"), runsUtc("@hourly", SUNDAY, 2));
    }

    @Test
    void fiveFieldFormFiresAtSecondZero() {
        assertEquals(instants("2026-11-22T10:16:00Z", "2026-11-22T10:17:00Z"), runsUtc("* * * * *", SUNDAY, 2));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0 9 * JAN-MAR MON-FRI", "0 9 * jan-Mar mon-fri", "0 9 * 1-3 1-5"})
    void namesAndRangesRestrictMonthsAndWeekdays(String expression) {
        // 2027-01-01 is a Friday; the 2nd and 3rd are a weekend.
        assertEquals(instants("2027-01-01T09:00Z", "2027-01-04T09:00Z", "2027-01-05T09:00Z"),
                runsUtc(expression, SUNDAY, 3));
        // After the last weekday of March the next run is the first weekday of next January.
        assertEquals(instants("2028-01-03T09:00Z"), runsUtc(expression, "2027-03-31T09:00Z", 1));
    }

    @Test
    void everyFifteenMinutes() {
        assertEquals(instants("2026-11-22T10:30Z", "2026-11-22T10:45Z", "2026-11-22T11:00Z"),
                runsUtc("*/15 * * * *", SUNDAY, 3));
    }

    @Test
    void steppedRangeStartsAtTheRangeStart() {
        assertEquals(instants("2026-11-22T10:25Z", "2026-11-22T10:45Z", "2026-11-22T11:05Z"),
                runsUtc("5-59/20 * * * *", SUNDAY, 3));
    }

    @Test
    void singleValueWithStepRunsToTheEndOfTheField() {
        assertEquals(instants("2026-11-22T10:30Z", "2026-11-22T10:50Z", "2026-11-22T11:10Z"),
                runsUtc("10/20 * * * *", SUNDAY, 3));
    }

    @Test
    void everySixHours() {
        assertEquals(instants("2026-11-22T12:00Z", "2026-11-22T18:00Z", "2026-11-23T00:00Z", "2026-11-23T06:00Z"),
                runsUtc("0 */6 * * *", SUNDAY, 4));
    }

    @Test
    void listsMixValuesRangesAndSteps() {
        assertEquals(instants("2026-11-22T17:00Z", "2026-11-22T17:30Z", "2026-11-23T08:00Z",
                        "2026-11-23T08:30Z", "2026-11-23T09:00Z", "2026-11-23T09:30Z", "2026-11-23T17:00Z"),
                runsUtc("0,30 8-9,17 * * *", SUNDAY, 7));
        assertEquals(instants("2026-11-22T11:00Z", "2026-11-22T11:07Z", "2026-11-22T11:20Z", "2026-11-22T11:40Z"),
                runsUtc("7,*/20 11 * * *", SUNDAY, 4));
    }

    @Test
    void sixFieldFormEveryTenSeconds() {
        assertEquals(instants("2026-11-22T10:15:40Z", "2026-11-22T10:15:50Z", "2026-11-22T10:16:00Z"),
                runsUtc("*/10 * * * * *", SUNDAY, 3));
    }

    @Test
    void sixFieldFormAtAFixedSecond() {
        assertEquals(instants("2026-11-23T09:30:00Z", "2026-11-24T09:30:00Z"), runsUtc("0 30 9 * * *", SUNDAY, 2));
        assertEquals(instants("2026-11-22T10:16:05Z"), runsUtc("5 * * * * *", SUNDAY, 1));
    }

    @Test
    void nextAfterIsStrictlyAfterEvenOnAFireTime() {
        CronSchedule schedule = CronSchedule.parse("*/10 * * * * *", ZoneId.of("UTC"));
        assertEquals(Optional.of(at("2026-11-22T10:15:50Z")), schedule.nextAfter(at("2026-11-22T10:15:40Z")));
        // A fraction of a second past a fire time does not fire again within that second.
        assertEquals(Optional.of(at("2026-11-22T10:15:50Z")),
                schedule.nextAfter(at("2026-11-22T10:15:40Z").plusMillis(1)));
        assertEquals(Optional.of(at("2026-11-22T10:15:40Z")),
                schedule.nextAfter(at("2026-11-22T10:15:39Z").plusMillis(999)));
    }

    @Test
    void dayOfMonthOrDayOfWeekWhenBothRestricted() {
        // The 1st or any Monday: 2026-12-01 is a Tuesday.
        assertEquals(instants("2026-11-23T00:00Z", "2026-11-30T00:00Z", "2026-12-01T00:00Z",
                        "2026-12-07T00:00Z", "2026-12-14T00:00Z"),
                runsUtc("0 0 1 * 1", SUNDAY, 5));
    }

    @Test
    void onlyMondaysWhenDayOfMonthIsStar() {
        assertEquals(instants("2026-11-23T00:00Z", "2026-11-30T00:00Z", "2026-12-07T00:00Z"),
                runsUtc("0 0 * * 1", SUNDAY, 3));
    }

    @Test
    void onlyTheFirstWhenDayOfWeekIsStar() {
        assertEquals(instants("2026-12-01T00:00Z", "2027-01-01T00:00Z"), runsUtc("0 0 1 * *", SUNDAY, 2));
    }

    @Test
    void steppedStarDayOfMonthStillCountsAsStarSoBothMustMatch() {
        // Odd days of the month that are Mondays; 2026-11-30 is an even Monday.
        assertEquals(instants("2026-11-23T00:00Z", "2026-12-07T00:00Z", "2026-12-21T00:00Z"),
                runsUtc("0 0 */2 * 1", SUNDAY, 3));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0 0 * * 0", "0 0 * * 7", "0 0 * * SUN", "0 0 * * sun", "0 0 * * 0,7", "0 0 * * SUN-SUN"})
    void sundayAsZeroSevenOrName(String expression) {
        assertEquals(instants("2026-11-29T00:00Z", "2026-12-06T00:00Z"), runsUtc(expression, SUNDAY, 2));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0 0 * * FRI-SUN", "0 0 * * 5-7"})
    void weekdayRangeMayEndOnSunday(String expression) {
        assertEquals(instants("2026-11-27T00:00Z", "2026-11-28T00:00Z", "2026-11-29T00:00Z", "2026-12-04T00:00Z"),
                runsUtc(expression, SUNDAY, 4));
    }

    @Test
    void impossibleDateNeverFires() {
        CronSchedule schedule = CronSchedule.parse("0 0 30 2 *", ZoneId.of("UTC"));
        assertEquals(Optional.empty(), schedule.nextAfter(at(SUNDAY)));
        assertEquals(List.of(), schedule.next(at(SUNDAY), 10));
        assertEquals(List.of(), runsUtc("0 0 31 4,6,9,11 *", SUNDAY, 1));
    }

    @Test
    void leapDayIsFound() {
        assertEquals(instants("2028-02-29T00:00Z", "2032-02-29T00:00Z"), runsUtc("0 0 29 2 *", SUNDAY, 2));
        // 2100 is not a leap year: eight years pass between these two.
        assertEquals(instants("2104-02-29T00:00Z"), runsUtc("0 0 29 2 *", "2096-02-29T00:00Z", 1));
    }

    @Test
    void nextReturnsTheRequestedNumberInOrder() {
        assertEquals(instants("2026-11-22T10:20Z", "2026-11-22T10:40Z", "2026-11-22T11:00Z", "2026-11-22T11:20Z",
                        "2026-11-22T11:40Z", "2026-11-22T12:00Z", "2026-11-22T12:20Z", "2026-11-22T12:40Z",
                        "2026-11-22T13:00Z", "2026-11-22T13:20Z"),
                runsUtc("*/20 * * * *", SUNDAY, 10));
    }

    @Test
    void nextWithZeroCountIsEmptyAndNegativeIsRejected() {
        CronSchedule schedule = CronSchedule.parse("* * * * *", ZoneId.of("UTC"));
        assertEquals(List.of(), schedule.next(at(SUNDAY), 0));
        assertThrows(IllegalArgumentException.class, () -> schedule.next(at(SUNDAY), -1));
    }

    @Test
    void whitespaceAroundAndBetweenFieldsIsAccepted() {
        CronSchedule schedule = CronSchedule.parse("  0\t9  * *   1 \n", ZoneId.of("UTC"));
        assertEquals("0\t9  * *   1", schedule.expression());
        assertEquals(ZoneId.of("UTC"), schedule.zone());
        assertEquals(Optional.of(at("2026-11-23T09:00Z")), schedule.nextAfter(at(SUNDAY)));
    }

    @Test
    void macroExpressionIsKeptAsGiven() {
        assertEquals("@Daily", CronSchedule.parse(" @Daily ", ZoneId.of("UTC")).expression());
    }
}
