package dev.cronhook.common.cron;

import dev.cronhook.common.FieldErrors;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Set;

/**
 * A {@code cron} and a {@code timezone} as a request gives them, checked the one way that jobs, the cron preview and
 * heartbeat checks share, so that each refuses the same expressions with the same words.
 */
public final class CronInput {
    /** Longest expression stored (the columns' width). */
    public static final int MAX_CHARS = 200;
    private static final Set<String> ZONES = ZoneId.getAvailableZoneIds();
    private static final String ZONE_WANTED = "must be an IANA time zone such as Europe/Berlin or UTC";

    private CronInput() {
    }

    /** The zone named by {@code raw}; null when none was given, or when it names none ({@code errors} says so). */
    public static ZoneId zone(String raw, FieldErrors errors) {
        if (raw == null) {
            return null;
        }
        if (!ZONES.contains(raw) && !raw.equals("UTC")) {
            errors.add("timezone", ZONE_WANTED);
            return null;
        }
        try {
            return ZoneId.of(raw);
        } catch (DateTimeException e) {
            errors.add("timezone", ZONE_WANTED);
            return null;
        }
    }

    /**
     * The schedule of {@code cron} in {@code zone}, which must fire after {@code now}; null when it is refused,
     * {@code errors} saying why (nothing more is said once the time zone was refused).
     */
    public static CronSchedule schedule(String cron, ZoneId zone, Instant now, FieldErrors errors) {
        if (errors.has("timezone")) {
            return null;
        }
        if (cron == null || cron.isBlank()) {
            errors.add("cron", "is required");
            return null;
        }
        if (cron.length() > MAX_CHARS) {
            errors.add("cron", "must be at most " + MAX_CHARS + " characters");
            return null;
        }
        try {
            CronSchedule schedule = CronSchedule.parse(cron, zone);
            if (schedule.nextAfter(now).isEmpty()) {
                errors.add("cron", "never fires (no matching date in the next years)");
                return null;
            }
            return schedule;
        } catch (InvalidCronException e) {
            errors.add("cron", e.getMessage());
            return null;
        }
    }
}
