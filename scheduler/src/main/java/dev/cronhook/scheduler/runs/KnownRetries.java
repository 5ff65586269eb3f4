package dev.cronhook.scheduler.runs;

import java.time.Instant;
import java.util.Collection;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * When the retries this node knows of are due: the ones its outcome writer stored, and the earliest one stored
 * anywhere as last read. The tick looks for due retries in the database only when one of these comes within reach,
 * instead of every second.
 */
public final class KnownRetries {
    private final NavigableSet<Instant> due = new ConcurrentSkipListSet<>();

    void add(Instant dueAt) {
        due.add(dueAt);
    }

    public void addAll(Collection<Instant> dueAt) {
        due.addAll(dueAt);
    }

    /** Whether a known retry is due before {@code horizon}; those are forgotten, the claim that follows takes them. */
    boolean takeDueBefore(Instant horizon) {
        NavigableSet<Instant> reached = due.headSet(horizon, false);
        boolean any = !reached.isEmpty();
        reached.clear();
        return any;
    }
}
