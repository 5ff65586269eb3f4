package dev.cronhook.scheduler;

import dev.cronhook.delivery.AttemptResult;
import dev.cronhook.delivery.HttpSender;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CancellationException;

/** Sends one attempt of a claimed run and hands the outcome to the recorder. Runs on a virtual thread. */
final class AttemptRunner {
    private static final System.Logger LOG = System.getLogger(AttemptRunner.class.getName());

    private final Clock clock;
    private final HttpSender sender;
    private final OutcomeRecorder recorder;
    private final SchedulerMetrics metrics;

    AttemptRunner(Clock clock, HttpSender sender, OutcomeRecorder recorder, SchedulerMetrics metrics) {
        this.clock = clock;
        this.sender = sender;
        this.recorder = recorder;
        this.metrics = metrics;
    }

    void run(ClaimedRun run) {
        Instant start = clock.instant();
        if (run.attemptNumber() == 1) {
            metrics.executionStarted(Duration.between(run.scheduledFor(), start));
        }
        recorder.started(run, start);
        AttemptResult result;
        try {
            result = sender.send(JobRequests.build(run, start));
        } catch (CancellationException e) {
            // A stop cut the request off past its grace: nothing is recorded, the lease hands the run on.
            LOG.log(Level.INFO, "attempt job={0} execution={1} cut off by shutdown", run.job().id(), run.executionId());
            return;
        }
        metrics.attemptFinished(result);
        LOG.log(Level.INFO, "attempt job={0} execution={1} attempt={2} outcome={3} status={4} duration_ms={5}",
                run.job().id(), run.executionId(), Integer.toString(run.attemptNumber()), result.outcome().wireName(),
                result.statusCode() == null ? "-" : result.statusCode().toString(), Long.toString(result.durationMillis()));
        recorder.record(run, result);
    }
}
