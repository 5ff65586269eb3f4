package dev.cronhook.common.cron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every rejected expression explains itself in terms of the field a user typed. */
class CronScheduleParseErrorTest {

    private static String errorFor(String expression) {
        return assertThrows(InvalidCronException.class, () -> CronSchedule.parse(expression, ZoneId.of("UTC")))
                .getMessage();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            61 * * * *      | minute: 61 is out of range 0-59
            0 24 * * *      | hour: 24 is out of range 0-23
            0 0 0 * *       | day-of-month: 0 is out of range 1-31
            0 0 32 * *      | day-of-month: 32 is out of range 1-31
            0 0 * 13 *      | month: 13 is out of range 1-12
            0 0 * 0 *       | month: 0 is out of range 1-12
            0 0 * * 8       | day-of-week: 8 is out of range 0-7
            60 0 0 * * *    | second: 60 is out of range 0-59
            99999999999 * * * * | minute: 99999999999 is out of range 0-59
            0 0-25 * * *    | hour: 25 is out of range 0-23
            """)
    void outOfRangeValues(String expression, String message) {
        assertEquals(message, errorFor(expression));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            5-1 * * * *     | minute: range 5-1 is reversed
            0 0 * DEC-JAN * | month: range DEC-JAN is reversed
            0 0 * * FRI-MON | day-of-week: range FRI-MON is reversed
            */0 * * * *     | minute: step 0 must be between 1 and 60
            0 0 1-10/32 * * | day-of-month: step 32 must be between 1 and 31
            */ * * * *      | minute: missing step after '/'
            */x * * * *     | minute: step 'x' is not a number
            1,,2 * * * *    | minute: empty item in list '1,,2'
            0 1, * * *      | hour: empty item in list '1,'
            -5 * * * *      | minute: missing value in '-5'
            0 0 * FOO *     | month: invalid value 'FOO'
            0 0 * * MONDAY  | day-of-week: invalid value 'MONDAY'
            0 MON * * *     | hour: invalid value 'MON'
            abc * * * *     | minute: invalid value 'abc'
            0 0 L * *       | day-of-month: invalid value 'L'
            0 0 * * 1#2     | day-of-week: invalid value '1#2'
            """)
    void malformedFieldsNameTheField(String expression, String messageStart) {
        String message = errorFor(expression);
        assertTrue(message.startsWith(messageStart), () -> "was: " + message);
    }

    @Test
    void invalidNameSaysWhatIsAccepted() {
        assertEquals("month: invalid value 'FOO'; expected a number 1-12 or a name JAN-DEC", errorFor("0 0 * FOO *"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            0 0 ? * MON | day-of-month
            0 0 1 * ?   | day-of-week
            """)
    void quartzQuestionMarkIsRejectedAsNotCrontab(String expression, String field) {
        assertEquals(field + ": '?' is Quartz syntax, not crontab; use '*' instead", errorFor(expression));
    }

    @ParameterizedTest
    @ValueSource(strings = {"* * * *", "* * * * * * *", "*", "0 0 1 1 * 2026 x"})
    void wrongFieldCount(String expression) {
        String message = errorFor(expression);
        int count = expression.split(" ").length;
        assertEquals("expected 5 fields (minute hour day-of-month month day-of-week) or 6 with leading seconds,"
                + " but got " + count, message);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "   ", "\t"})
    void emptyExpression(String expression) {
        assertEquals("cron expression is empty", errorFor(expression));
    }

    @Test
    void rebootIsNotSupported() {
        assertEquals("@reboot is not supported: a scheduler has no reboot to run at", errorFor("@reboot"));
    }

    @Test
    void unknownMacro() {
        assertTrue(errorFor("@fortnightly").startsWith("unknown macro '@fortnightly'; supported: @yearly"));
    }

    @Test
    void macroTakesNoFields() {
        assertEquals("@daily stands for a whole schedule and takes no further fields", errorFor("@daily 5"));
    }

    @Test
    void isAnIllegalArgumentException() {
        assertInstanceOf(IllegalArgumentException.class, new InvalidCronException("x"));
    }
}
