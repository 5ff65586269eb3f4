package dev.cronhook.scheduler.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cronhook.delivery.signing.WebhookSecret;
import dev.cronhook.scheduler.jobs.CatchUp;
import dev.cronhook.scheduler.jobs.Completion;
import dev.cronhook.scheduler.jobs.Concurrency;
import dev.cronhook.scheduler.jobs.Job;
import dev.cronhook.scheduler.jobs.JobDefinition;
import dev.cronhook.scheduler.jobs.OnceStatus;
import dev.cronhook.scheduler.jobs.SigningSecrets;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The overlap rule of {@code concurrency: forbid} (PRODUCT.md section 10), apart from the database. */
class OverlapGuardTest {
    private static final Instant SLOT = Instant.parse("2026-12-06T10:00:00Z");
    private static final String RUN = "exe_01jd3k0000000000000000000b";
    private static final String OTHER = "exe_01jd3k0000000000000000000a";

    @Test
    void aRunGoesWhenNothingOfItsJobIsInFlight() {
        ClaimedRun run = cronRun(RunTrigger.SCHEDULE);
        assertEquals(OverlapGuard.Decision.SEND, OverlapGuard.decide(run, null, Optional.empty()));
        assertEquals(OverlapGuard.Decision.SEND, OverlapGuard.decide(run, OTHER, Optional.empty()), "gone by retention");
        for (ExecutionStatus ended : new ExecutionStatus[] {ExecutionStatus.SUCCEEDED, ExecutionStatus.FAILED,
                ExecutionStatus.SKIPPED}) {
            assertEquals(OverlapGuard.Decision.SEND, OverlapGuard.decide(run, OTHER, Optional.of(ended)), "" + ended);
        }
    }

    @Test
    void aRunIsSkippedWhileAnotherIsRunningOrWaitsForARetry() {
        for (RunTrigger trigger : List.of(RunTrigger.SCHEDULE, RunTrigger.MANUAL)) {
            ClaimedRun run = cronRun(trigger);
            assertEquals(OverlapGuard.Decision.SKIPPED,
                    OverlapGuard.decide(run, OTHER, Optional.of(ExecutionStatus.RUNNING)), "" + trigger);
            assertEquals(OverlapGuard.Decision.SKIPPED,
                    OverlapGuard.decide(run, OTHER, Optional.of(ExecutionStatus.RETRY_SCHEDULED)), "" + trigger);
            assertEquals(OverlapGuard.Decision.SKIPPED,
                    OverlapGuard.decide(run, OTHER, Optional.of(ExecutionStatus.AWAITING_CALLBACK)),
                    "an execution awaiting its callback is in flight: " + trigger);
        }
    }

    /** A catch-up runs what downtime missed: a forbid job's catch-up runs go one after another, none skipped. */
    @Test
    void aCatchUpRunWaitsForTheRunInFlight() {
        assertEquals(OverlapGuard.Decision.WAIT, OverlapGuard.decide(cronRun(RunTrigger.CATCH_UP), OTHER,
                Optional.of(ExecutionStatus.RUNNING)));
        assertEquals(OverlapGuard.Decision.SEND, OverlapGuard.decide(cronRun(RunTrigger.CATCH_UP), OTHER,
                Optional.of(ExecutionStatus.SUCCEEDED)));
    }

    @Test
    void theRunLetThroughIsNotHeldOffByItself() {
        // A run handed on by a node that died after letting it through goes again on the node that takes it over.
        assertEquals(OverlapGuard.Decision.SEND, OverlapGuard.decide(cronRun(RunTrigger.SCHEDULE), RUN,
                Optional.of(ExecutionStatus.RUNNING)));
    }

    @Test
    void aOneTimeJobsOwnRunWaitsForAManualRunInsteadOfBeingSkipped() {
        assertEquals(OverlapGuard.Decision.WAIT, OverlapGuard.decide(onceRun(RunTrigger.SCHEDULE), OTHER,
                Optional.of(ExecutionStatus.RUNNING)));
        assertEquals(OverlapGuard.Decision.SKIPPED, OverlapGuard.decide(onceRun(RunTrigger.MANUAL), OTHER,
                Optional.of(ExecutionStatus.RETRY_SCHEDULED)), "a manual run of a one-time job is skipped");
        assertEquals(OverlapGuard.Decision.SEND, OverlapGuard.decide(onceRun(RunTrigger.SCHEDULE), OTHER,
                Optional.of(ExecutionStatus.SUCCEEDED)));
    }

    private static ClaimedRun cronRun(RunTrigger trigger) {
        return run(new JobDefinition("n", URI.create("http://e.com"), "POST", Map.of(), null, "* * * * * *",
                ZoneId.of("UTC"), null, null, null, Concurrency.FORBID, CatchUp.LATEST, 0, Completion.RESPONSE, 3600, 30, true), null, trigger);
    }

    private static ClaimedRun onceRun(RunTrigger trigger) {
        return run(new JobDefinition("n", URI.create("http://e.com"), "POST", Map.of(), null, null, null, SLOT, null,
                null, Concurrency.FORBID, CatchUp.LATEST, 0, Completion.RESPONSE, 3600, 30, true), OnceStatus.RUNNING, trigger);
    }

    private static ClaimedRun run(JobDefinition definition, OnceStatus status, RunTrigger trigger) {
        SigningSecrets secrets = new SigningSecrets(new WebhookSecret("whsec_" + "A".repeat(43) + "="), null, null);
        Job job = new Job("job_01jd3k0000000000000000000a", definition, status, SLOT, null, 0, secrets, SLOT, SLOT);
        return ClaimedRun.first(RUN, job, trigger, SLOT);
    }
}
