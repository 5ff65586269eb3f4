package dev.cronhook.scheduler.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cronhook.common.cron.CronSchedule;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** PRODUCT.md section 10, {@code jitter_seconds}: a stable offset in {@code [0, jitter)} per (job, slot). */
class JitterTest {
    private static final Instant SLOT = Instant.parse("2026-11-22T10:00:00Z");
    private static final String JOB = "job_01jd3k0000000000000000000a";
    /** This job's offset in a 60 s jitter for {@link #SLOT}, as the algorithm of the first release computed it. */
    private static final long PINNED_MILLIS = 41_088;

    @Test
    void noJitterSendsAtTheSlot() {
        assertEquals(SLOT, Jitter.fireAt(JOB, SLOT, 0));
        assertNull(Jitter.fireAt(JOB, null, 30));
    }

    @Test
    void everyOffsetIsWithinTheJitterAndNeverBeforeTheSlot() {
        for (int jitter : new int[] {1, 7, 60, 3600}) {
            for (int slot = 0; slot < 5000; slot++) {
                Instant at = SLOT.plusSeconds(60L * slot);
                Instant fireAt = Jitter.fireAt(JOB, at, jitter);
                assertFalse(fireAt.isBefore(at), "before its slot: " + fireAt);
                assertTrue(fireAt.isBefore(at.plusSeconds(jitter)), jitter + " s: " + fireAt + " for " + at);
            }
        }
    }

    @Test
    void theOffsetIsTheSameEveryTimeForAJobAndSlot() {
        // Pinned: nodes of a cluster, and a node after an upgrade, must agree on when a run is sent, so the offset
        // may not depend on the process (no String.hashCode seeds, no random) nor change between versions.
        assertEquals(PINNED_MILLIS, Jitter.offsetMillis(JOB, SLOT, 60));
        assertEquals(SLOT.plusMillis(PINNED_MILLIS), Jitter.fireAt(new String(JOB.toCharArray()), SLOT, 60));
    }

    @Test
    void offsetsSpreadOverTheJitterAcrossJobsAndSlots() {
        Set<Long> seconds = new HashSet<>();
        int[] perTenth = new int[10];
        for (int job = 0; job < 2000; job++) {
            long offset = Jitter.offsetMillis("job_" + job, SLOT, 60);
            seconds.add(offset / 1000);
            perTenth[(int) (offset / 6000)]++;
        }
        assertEquals(60, seconds.size(), "2,000 jobs sharing a minute use every second of a 60 s jitter");
        for (int count : perTenth) {
            assertTrue(count > 150 && count < 250, "each tenth of the jitter gets about 200 of 2,000 jobs: " + count);
        }
        Set<Long> bySlot = new HashSet<>();
        for (int slot = 0; slot < 100; slot++) {
            bySlot.add(Jitter.offsetMillis(JOB, SLOT.plusSeconds(60L * slot), 60));
        }
        assertTrue(bySlot.size() > 90, "one job's offset changes from slot to slot: " + bySlot.size());
    }

    @Test
    void theShortestGapOfASchedule() {
        ZoneId utc = ZoneId.of("UTC");
        assertEquals(Duration.ofMinutes(5), Jitter.shortestGap(CronSchedule.parse("*/5 * * * *", utc), SLOT));
        assertEquals(Duration.ofMinutes(10), Jitter.shortestGap(CronSchedule.parse("0,10,30 * * * *", utc), SLOT));
        assertEquals(Duration.ofSeconds(1), Jitter.shortestGap(CronSchedule.parse("* * * * * *", utc), SLOT));
        // 02:30 daily in New York: on the spring-forward day it fires at 03:30 EDT, 23 hours after the day before.
        assertEquals(Duration.ofHours(23), Jitter.shortestGap(CronSchedule.parse("30 2 * * *",
                ZoneId.of("America/New_York")), SLOT));
    }
}
