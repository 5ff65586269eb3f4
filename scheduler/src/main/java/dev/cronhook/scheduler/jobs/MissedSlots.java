package dev.cronhook.scheduler.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The slots of a cron job missed while no node could run it, split by its {@link CatchUp} policy: the ones to run,
 * oldest first, and the ones not run ({@code notRun} of them, from {@code firstNotRun} to {@code lastNotRun}; both
 * null when every missed slot runs).
 */
public record MissedSlots(List<Instant> run, long notRun, Instant firstNotRun, Instant lastNotRun) {
    /** {@code catch_up: all} runs the most recent this many missed slots at most. */
    public static final int MAX_CAUGHT_UP = 1000;
    /**
     * Slots counted one by one. An every-second job down for a day missed 86,400; past this many, the count of the
     * slots between the ones walked and the most recent ones comes from their average gap, so that a long outage does
     * not hold a claim for seconds.
     */
    static final int MAX_WALKED = 100_000;

    /** Every slot from {@code first} (a missed slot) up to and including {@code now}; {@code next}: the slot after. */
    static MissedSlots of(CatchUp policy, UnaryOperator<Instant> next, Instant first, Instant now) {
        int keep = switch (policy) {
            case LATEST -> 1;
            case ALL -> MAX_CAUGHT_UP;
            case NONE -> 0;
        };
        // The most recent keep + 1 slots: the ones to run and the last one not run before them.
        ArrayDeque<Instant> recent = new ArrayDeque<>();
        long count = 0;
        Instant slot = first;
        while (slot != null && !slot.isAfter(now)) {
            if (count == MAX_WALKED) {
                Duration gap = Duration.between(first, recent.getLast()).dividedBy(count - 1);
                Instant tail = now.minus(gap.multipliedBy(keep + 2L));
                if (tail.isAfter(slot)) {
                    count += Duration.between(slot, tail).dividedBy(gap) + 1;
                    recent.clear();
                    slot = next.apply(tail);
                    continue;
                }
            }
            count++;
            recent.addLast(slot);
            if (recent.size() > keep + 1) {
                recent.removeFirst();
            }
            slot = next.apply(slot);
        }
        List<Instant> all = List.copyOf(recent);
        List<Instant> run = all.subList(Math.max(0, all.size() - keep), all.size());
        long notRun = count - run.size();
        Instant lastNotRun = notRun == 0 ? null : all.size() > run.size() ? all.get(all.size() - run.size() - 1)
                : null;
        return new MissedSlots(run, notRun, notRun == 0 ? null : first, lastNotRun);
    }
}
