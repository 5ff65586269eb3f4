package dev.cronhook.scheduler.runs;

import java.time.Duration;
import java.time.Instant;

/**
 * Something else that grows and is swept by the scheduler's once-a-minute sweep (on one node of a cluster): what it
 * is, how long it is kept, and how a batch of it is deleted.
 */
public record Retention(String what, Duration keep, Sweep sweep) {
    /** Deletes up to {@code limit} items older than {@code cutoff}; returns how many it deleted. */
    @FunctionalInterface
    public interface Sweep {
        int deleteBefore(Instant cutoff, int limit);
    }

    public Retention {
        if (!keep.isPositive()) {
            throw new IllegalArgumentException("the retention of " + what + " must be positive, got " + keep);
        }
    }
}
