package dev.cronhook.scheduler.jobs;

import dev.cronhook.common.cron.CronCache;
import dev.cronhook.common.cron.CronSchedule;
import java.time.Instant;
import java.util.List;

/** When a job runs next. */
public final class Schedules {
    private final CronCache crons = new CronCache();

    /**
     * The first run strictly after {@code after}; null when there is none (a one-time job already past, a cron job
     * whose next slot lies after its end).
     */
    public Instant nextRun(JobDefinition definition, Instant after) {
        if (definition.cron() == null) {
            Instant runAt = definition.runAt();
            return runAt != null && runAt.isAfter(after) ? runAt : null;
        }
        return cron(definition).nextAfter(after).filter(slot -> beforeEnd(definition, slot)).orElse(null);
    }

    /**
     * The slots of a cron job from {@code first}, a slot missed while no node could run it, up to {@code now}, and
     * which of them its {@code catch_up} policy runs.
     */
    public MissedSlots missed(JobDefinition definition, Instant first, Instant now) {
        return MissedSlots.of(definition.catchUp(), slot -> nextRun(definition, slot), first, now);
    }

    /** A cron job's next {@code count} slots after {@code after}, none after its end. */
    List<Instant> nextRuns(JobDefinition definition, Instant after, int count) {
        return cron(definition).next(after, count).stream().filter(slot -> beforeEnd(definition, slot)).toList();
    }

    /** A slot at the end itself still runs: "no run after end_at". */
    private static boolean beforeEnd(JobDefinition definition, Instant slot) {
        return definition.endAt() == null || !slot.isAfter(definition.endAt());
    }

    CronSchedule cron(JobDefinition definition) {
        return crons.get(definition.cron(), definition.zone());
    }
}
