package dev.cronhook.scheduler.jobs;

import dev.cronhook.scheduler.cron.CronSchedule;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** When a job runs next. Parsed cron expressions are cached: many jobs share a handful of expressions. */
public final class Schedules {
    private static final int MAX_CACHED = 10_000;

    private record Key(String expression, ZoneId zone) {
    }

    private final Map<Key, CronSchedule> cache = new ConcurrentHashMap<>();

    /** The first run strictly after {@code after}; null when there is none (a one-time job already past). */
    public Instant nextRun(JobDefinition definition, Instant after) {
        if (definition.cron() == null) {
            Instant runAt = definition.runAt();
            return runAt != null && runAt.isAfter(after) ? runAt : null;
        }
        return cron(definition).nextAfter(after).orElse(null);
    }

    CronSchedule cron(JobDefinition definition) {
        Key key = new Key(definition.cron(), definition.zone());
        CronSchedule schedule = cache.get(key);
        if (schedule == null) {
            if (cache.size() >= MAX_CACHED) {
                cache.clear();
            }
            schedule = CronSchedule.parse(key.expression(), key.zone());
            cache.put(key, schedule);
        }
        return schedule;
    }
}
