package dev.cronhook.scheduler.jobs;

import dev.cronhook.common.cron.CronSchedule;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * {@code jitter_seconds} (PRODUCT.md section 10): each run of a cron job is sent at its slot plus an offset in
 * {@code [0, jitter)}, the same offset every time it is computed for that (job, slot) on any node, so that jobs sharing
 * a minute spread over it instead of all firing at its first millisecond.
 */
public final class Jitter {
    public static final int MAX_SECONDS = 3600;
    /** Slots looked at for the shortest gap of a schedule: about three years of a daily job, DST changes included. */
    static final int GAP_SAMPLES = 1000;

    private Jitter() {
    }

    /** When the run of {@code slot} is sent: the slot itself when the job has no jitter. */
    public static Instant fireAt(String jobId, Instant slot, int jitterSeconds) {
        if (jitterSeconds == 0 || slot == null) {
            return slot;
        }
        return slot.plusMillis(offsetMillis(jobId, slot, jitterSeconds));
    }

    /** A hash of (job id, slot) spread over {@code [0, jitterSeconds × 1000)} milliseconds. */
    static long offsetMillis(String jobId, Instant slot, int jitterSeconds) {
        // FNV-1a over the id, then a 64-bit finaliser (MurmurHash3's) over it and the slot: stable across
        // processes and versions, unlike String.hashCode mixing or a seeded random.
        long hash = 0xcbf29ce484222325L;
        for (byte b : jobId.getBytes(StandardCharsets.UTF_8)) {
            hash = (hash ^ (b & 0xff)) * 0x100000001b3L;
        }
        hash ^= slot.toEpochMilli() * 0x9e3779b97f4a7c15L;
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        hash *= 0xc4ceb9fe1a85ec53L;
        hash ^= hash >>> 33;
        return Math.floorMod(hash, jitterSeconds * 1000L);
    }

    /**
     * The shortest time between two consecutive slots of {@code schedule} over its next {@value #GAP_SAMPLES} slots
     * after {@code from}; null when it has fewer than two.
     */
    static Duration shortestGap(CronSchedule schedule, Instant from) {
        List<Instant> slots = schedule.next(from, GAP_SAMPLES);
        Duration shortest = null;
        for (int i = 1; i < slots.size(); i++) {
            Duration gap = Duration.between(slots.get(i - 1), slots.get(i));
            if (shortest == null || gap.compareTo(shortest) < 0) {
                shortest = gap;
            }
        }
        return shortest;
    }
}
