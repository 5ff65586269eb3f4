package dev.cronhook.common.cron;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed cron expression as bit sets over wall-clock fields, and the search for the next
 * matching wall-clock time. Knows nothing of time zones; {@link CronSchedule} maps the wall-clock
 * times it finds onto instants.
 *
 * @param dayOrRule whether a day matching day-of-month OR day-of-week matches (both fields
 *                  restricted), rather than a day matching both
 */
record CronPattern(long seconds, long minutes, long hours, long daysOfMonth, long months, long daysOfWeek,
                   boolean dayOrRule) {

    private static final Map<String, String> MACROS = Map.of(
            "@yearly", "0 0 1 1 *",
            "@annually", "0 0 1 1 *",
            "@monthly", "0 0 1 * *",
            "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *",
            "@midnight", "0 0 * * *",
            "@hourly", "0 * * * *");

    private static final String FIELD_COUNT_HINT =
            "expected 5 fields (minute hour day-of-month month day-of-week) or 6 with leading seconds";

    /** Parses a trimmed, non-empty expression. */
    static CronPattern parse(String expression) {
        String[] fields = expandMacro(expression).split("\\s+");
        int offset = switch (fields.length) {
            case 5 -> 0;
            case 6 -> 1;
            default -> throw new InvalidCronException(FIELD_COUNT_HINT + ", but got " + fields.length);
        };
        String dayOfMonth = fields[offset + 2];
        String dayOfWeek = fields[offset + 4];
        return new CronPattern(
                offset == 0 ? 1L : FieldParser.parse(fields[0], CronField.SECOND),
                FieldParser.parse(fields[offset], CronField.MINUTE),
                FieldParser.parse(fields[offset + 1], CronField.HOUR),
                FieldParser.parse(dayOfMonth, CronField.DAY_OF_MONTH),
                FieldParser.parse(fields[offset + 3], CronField.MONTH),
                FieldParser.parse(dayOfWeek, CronField.DAY_OF_WEEK),
                // Vixie/cronie: a day field that starts with '*' (even "*/2") does not trigger the OR rule.
                !dayOfMonth.startsWith("*") && !dayOfWeek.startsWith("*"));
    }

    private static String expandMacro(String expression) {
        if (!expression.startsWith("@")) {
            return expression;
        }
        String[] words = expression.split("\\s+");
        String macro = words[0].toLowerCase(Locale.ROOT);
        if (macro.equals("@reboot")) {
            throw new InvalidCronException("@reboot is not supported: a scheduler has no reboot to run at");
        }
        String fields = MACROS.get(macro);
        if (fields == null) {
            throw new InvalidCronException("unknown macro '" + words[0]
                    + "'; supported: @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly");
        }
        if (words.length > 1) {
            throw new InvalidCronException(words[0] + " stands for a whole schedule and takes no further fields");
        }
        return fields;
    }

    /**
     * The first matching wall-clock time at or after {@code from} and strictly before {@code until}.
     * Skips by field (month, then day, then time of day), so sparse patterns cost no more than dense ones.
     */
    Optional<LocalDateTime> firstMatch(LocalDateTime from, LocalDateTime until) {
        if (from.getNano() != 0) {
            from = from.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        }
        LocalDate lastDay = until.toLocalDate();
        LocalDate day = nextDay(from.toLocalDate(), lastDay);
        if (day == null) {
            return Optional.empty();
        }
        // Every matching day has the same matching times, so only the start day can run out of them.
        LocalTime time = day.equals(from.toLocalDate()) ? nextTime(from.toLocalTime()) : firstTime();
        if (time == null) {
            day = nextDay(day.plusDays(1), lastDay);
            if (day == null) {
                return Optional.empty();
            }
            time = firstTime();
        }
        LocalDateTime match = day.atTime(time);
        return match.isBefore(until) ? Optional.of(match) : Optional.empty();
    }

    /** The first matching day in [from, last], or null. */
    private LocalDate nextDay(LocalDate from, LocalDate last) {
        LocalDate day = from;
        while (!day.isAfter(last)) {
            int month = nextBit(months, day.getMonthValue());
            if (month < 0) {
                day = LocalDate.of(day.getYear() + 1, nextBit(months, 0), 1);
                continue;
            }
            if (month != day.getMonthValue()) {
                day = LocalDate.of(day.getYear(), month, 1);
            }
            int dayOfMonth = nextBit(matchingDays(YearMonth.from(day)), day.getDayOfMonth());
            if (dayOfMonth > 0) {
                return day.withDayOfMonth(dayOfMonth);
            }
            day = day.withDayOfMonth(1).plusMonths(1);
        }
        return null;
    }

    /** The days of the given month that match, as a bit set over 1..31. */
    private long matchingDays(YearMonth month) {
        int length = month.lengthOfMonth();
        long byDate = daysOfMonth & (((1L << length) - 1) << 1);
        int weekdayOfFirst = month.atDay(1).getDayOfWeek().getValue() % 7; // 0 = Sunday, as in cron
        long byWeekday = 0;
        for (int day = 1; day <= length; day++) {
            if ((daysOfWeek & (1L << ((weekdayOfFirst + day - 1) % 7))) != 0) {
                byWeekday |= 1L << day;
            }
        }
        return dayOrRule ? byDate | byWeekday : byDate & byWeekday;
    }

    /** The first matching time of day at or after {@code from}, or null if none is left that day. */
    private LocalTime nextTime(LocalTime from) {
        for (int hour = nextBit(hours, from.getHour()); hour >= 0; hour = nextBit(hours, hour + 1)) {
            boolean sameHour = hour == from.getHour();
            int minute = nextBit(minutes, sameHour ? from.getMinute() : 0);
            for (; minute >= 0; minute = nextBit(minutes, minute + 1)) {
                boolean sameMinute = sameHour && minute == from.getMinute();
                int second = nextBit(seconds, sameMinute ? from.getSecond() : 0);
                if (second >= 0) {
                    return LocalTime.of(hour, minute, second);
                }
            }
        }
        return null;
    }

    private LocalTime firstTime() {
        return LocalTime.of(nextBit(hours, 0), nextBit(minutes, 0), nextBit(seconds, 0));
    }

    /** The lowest set bit at or above {@code from}, or -1. */
    private static int nextBit(long bits, int from) {
        if (from > 63) {
            return -1;
        }
        long rest = bits & (-1L << from);
        return rest == 0 ? -1 : Long.numberOfTrailingZeros(rest);
    }
}
