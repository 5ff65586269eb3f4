package dev.cronhook.common.cron;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;

/** Shared helpers: instants are written as ISO date-times with an offset, e.g. "2026-03-08T03:30-04:00". */
final class CronTestSupport {

    static final ZoneId UTC = ZoneId.of("UTC");

    private CronTestSupport() {
    }

    static Instant at(String isoWithOffset) {
        return OffsetDateTime.parse(isoWithOffset).toInstant();
    }

    static List<Instant> instants(String... isoWithOffsets) {
        return Arrays.stream(isoWithOffsets).map(CronTestSupport::at).toList();
    }

    static List<Instant> runs(String expression, ZoneId zone, String after, int count) {
        return CronSchedule.parse(expression, zone).next(at(after), count);
    }

    static List<Instant> runsUtc(String expression, String after, int count) {
        return runs(expression, UTC, after, count);
    }
}
