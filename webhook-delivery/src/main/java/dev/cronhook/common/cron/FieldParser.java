package dev.cronhook.common.cron;

/**
 * Parses one crontab field into a bit set (bit {@code v} set = value {@code v} matches).
 *
 * <p>Accepted items, comma-separated: {@code *}, {@code a}, {@code a-b}, {@code *}{@code /n},
 * {@code a-b/n} and {@code a/n}, which means {@code a-max/n} as in cronie. Names (JAN, MON) are
 * case-insensitive and may be used wherever a number may.
 */
final class FieldParser {

    private FieldParser() {
    }

    static long parse(String text, CronField field) {
        long bits = 0;
        for (String item : text.split(",", -1)) {
            if (item.isEmpty()) {
                throw field.error("empty item in list '" + text + "'");
            }
            bits |= parseItem(item, field);
        }
        if (field == CronField.DAY_OF_WEEK && (bits & (1L << 7)) != 0) {
            bits = (bits & ~(1L << 7)) | 1L; // 7 is Sunday's second spelling
        }
        return bits;
    }

    private static long parseItem(String item, CronField field) {
        int slash = item.indexOf('/');
        String range = slash < 0 ? item : item.substring(0, slash);
        int step = slash < 0 ? 1 : parseStep(item.substring(slash + 1), field);

        int low;
        int high;
        int dash = range.indexOf('-');
        if (range.equals("*")) {
            low = field.min();
            high = field.max();
        } else if (dash >= 0) {
            low = parseValue(range.substring(0, dash), item, field);
            String end = range.substring(dash + 1);
            high = parseValue(end, item, field);
            if (field == CronField.DAY_OF_WEEK && low > 0 && high == 0 && !isDigits(end)) {
                high = 7; // SUN is 0, but FRI-SUN should mean Friday through Sunday
            }
            if (low > high) {
                throw field.error("range " + range + " is reversed; the start must not exceed the end");
            }
        } else {
            low = parseValue(range, item, field);
            // A bare value with a step runs to the end of the field (cronie's a/n).
            high = slash < 0 ? low : field.max();
        }

        long bits = 0;
        for (int value = low; value <= high; value += step) {
            bits |= 1L << value;
        }
        return bits;
    }

    private static int parseStep(String text, CronField field) {
        if (text.isEmpty()) {
            throw field.error("missing step after '/'");
        }
        if (!isDigits(text)) {
            throw field.error("step '" + text + "' is not a number");
        }
        int span = field.max() - field.min() + 1;
        int step = text.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(text);
        if (step < 1 || step > span) {
            throw field.error("step " + text + " must be between 1 and " + span);
        }
        return step;
    }

    private static int parseValue(String text, String item, CronField field) {
        if (text.isEmpty()) {
            throw field.error("missing value in '" + item + "'; expected " + field.accepted());
        }
        if (text.equals("?")) {
            throw field.error("'?' is Quartz syntax, not crontab; use '*' instead");
        }
        if (isDigits(text)) {
            // Nine digits always fit an int; anything longer is out of range anyway.
            int value = text.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(text);
            if (value < field.min() || value > field.max()) {
                throw field.error(text + " is out of range " + field.min() + "-" + field.max());
            }
            return value;
        }
        int named = field.valueOfName(text);
        if (named < 0) {
            throw field.error("invalid value '" + text + "'; expected " + field.accepted());
        }
        return named;
    }

    private static boolean isDigits(String text) {
        return text.chars().allMatch(c -> c >= '0' && c <= '9');
    }
}
