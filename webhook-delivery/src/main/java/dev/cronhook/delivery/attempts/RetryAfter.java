package dev.cronhook.delivery.attempts;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/** Parses a {@code Retry-After} header value (RFC 9110 section 10.2.3). */
public final class RetryAfter {

    // 18 digits cannot overflow a long, and no server means a wait of more than 31 million years.
    private static final Pattern DELAY_SECONDS = Pattern.compile("[0-9]{1,18}");

    private RetryAfter() {}

    /**
     * @return the delay it asks for, measured from {@code now} when it is a date (never negative),
     *     or null when the value is absent or unusable: a bad hint is ignored, not an error
     */
    public static Duration parse(String value, Instant now) {
        if (value == null) {
            return null;
        }
        String text = value.strip();
        if (DELAY_SECONDS.matcher(text).matches()) {
            return Duration.ofSeconds(Long.parseLong(text));
        }
        try {
            // The IMF-fixdate form; the obsolete RFC 850 and asctime forms are not worth the code.
            Instant at =
                    ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration delay = Duration.between(now, at);
            return delay.isNegative() ? Duration.ZERO : delay;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
