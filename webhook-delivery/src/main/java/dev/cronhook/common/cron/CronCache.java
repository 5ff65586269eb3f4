package dev.cronhook.common.cron;

import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Parsed schedules by expression and zone: many jobs and checks share a handful of expressions, and a schedule is
 * wanted at every claim, ping and read of one. Bounded: when full it starts again empty.
 */
public final class CronCache {
    private static final int MAX_CACHED = 10_000;

    private record Key(String expression, ZoneId zone) {
    }

    private final Map<Key, CronSchedule> cache = new ConcurrentHashMap<>();

    /** @throws InvalidCronException for an expression that does not parse (stored ones always do) */
    public CronSchedule get(String expression, ZoneId zone) {
        Key key = new Key(expression, zone);
        CronSchedule schedule = cache.get(key);
        if (schedule == null) {
            if (cache.size() >= MAX_CACHED) {
                cache.clear();
            }
            schedule = CronSchedule.parse(expression, zone);
            cache.put(key, schedule);
        }
        return schedule;
    }
}
