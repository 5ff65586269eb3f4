package dev.cronhook.common.cron;

import java.util.List;
import java.util.Locale;

/** The fields of a crontab line, with the names users see in error messages and their value ranges. */
enum CronField {
    SECOND("second", 0, 59, List.of()),
    MINUTE("minute", 0, 59, List.of()),
    HOUR("hour", 0, 23, List.of()),
    DAY_OF_MONTH("day-of-month", 1, 31, List.of()),
    MONTH("month", 1, 12,
            List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")),
    // 7 is accepted as a second Sunday, as in crontab(5); the parser folds it onto 0.
    DAY_OF_WEEK("day-of-week", 0, 7, List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"));

    private final String label;
    private final int min;
    private final int max;
    private final List<String> names;

    CronField(String label, int min, int max, List<String> names) {
        this.label = label;
        this.min = min;
        this.max = max;
        this.names = names;
    }

    String label() {
        return label;
    }

    int min() {
        return min;
    }

    int max() {
        return max;
    }

    boolean hasNames() {
        return !names.isEmpty();
    }

    /** The value of a three-letter name (case-insensitive), or -1 if this field has no such name. */
    int valueOfName(String name) {
        int index = names.indexOf(name.toUpperCase(Locale.ROOT));
        return index < 0 ? -1 : min + index;
    }

    /** A human-readable description of what the field accepts, for error messages. */
    String accepted() {
        String numbers = "a number " + min + "-" + max;
        return hasNames() ? numbers + " or a name " + names.getFirst() + "-" + names.getLast() : numbers;
    }

    InvalidCronException error(String problem) {
        return new InvalidCronException(label + ": " + problem);
    }
}
