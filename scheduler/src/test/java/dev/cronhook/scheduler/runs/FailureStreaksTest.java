package dev.cronhook.scheduler.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cronhook.scheduler.jobs.JobRepository.Streak;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** PRODUCT.md section 10, {@code pause_after_failures}: how a batch of ended executions moves each job's count. */
class FailureStreaksTest {
    private static FailureStreaks.Ended failed(String job) {
        return new FailureStreaks.Ended(job, true);
    }

    private static FailureStreaks.Ended succeeded(String job) {
        return new FailureStreaks.Ended(job, false);
    }

    @Test
    void failuresAddUpAndTheThresholdPausesWithItsCount() {
        FailureStreaks.Decision decision = FailureStreaks.decide(Map.of("a", new Streak(1, 3, true)),
                List.of(failed("a"), failed("a")));
        assertEquals(Map.of("a", "paused after 3 failed executions in a row"), decision.pause());
        assertEquals(Map.of(), decision.streaks(), "the pause itself starts the count anew");
    }

    @Test
    void aSuccessResetsTheCount() {
        FailureStreaks.Decision decision = FailureStreaks.decide(Map.of("a", new Streak(2, 3, true)),
                List.of(succeeded("a"), failed("a")));
        assertEquals(Map.of(), decision.pause(), "fail, fail, success, fail is no streak of 3");
        assertEquals(Map.of("a", 1), decision.streaks());
        assertEquals(Map.of(), FailureStreaks.decide(Map.of("a", new Streak(2, 3, true)),
                List.of(succeeded("a"), failed("a"), failed("a"))).streaks(), "back at 2: nothing to write");
    }

    @Test
    void onlyChangedCountsAreWritten() {
        FailureStreaks.Decision decision = FailureStreaks.decide(Map.of("a", new Streak(0, 5, true),
                "b", new Streak(2, 5, true)), List.of(succeeded("a"), failed("b")));
        assertEquals(Map.of("b", 3), decision.streaks());
    }

    @Test
    void aThresholdOfOnePausesAtTheFirstFailure() {
        assertEquals(Map.of("a", "paused after 1 failed execution in a row"), FailureStreaks.decide(
                Map.of("a", new Streak(0, 1, true)), List.of(failed("a"))).pause());
    }

    @Test
    void pausedDeletedAndUnlimitedJobsAreLeftAlone() {
        FailureStreaks.Decision decision = FailureStreaks.decide(Map.of("paused", new Streak(2, 3, false),
                "unlimited", new Streak(0, null, true)), List.of(failed("paused"), failed("unlimited"), failed("gone")));
        assertEquals(Map.of(), decision.pause());
        assertEquals(Map.of(), decision.streaks());
    }

    @Test
    void whatEndsAfterThePauseInTheSameBatchDoesNotCount() {
        FailureStreaks.Decision decision = FailureStreaks.decide(Map.of("a", new Streak(0, 2, true)),
                List.of(failed("a"), failed("a"), failed("a"), succeeded("a")));
        assertEquals(Map.of("a", "paused after 2 failed executions in a row"), decision.pause());
        assertEquals(Map.of(), decision.streaks());
    }
}
