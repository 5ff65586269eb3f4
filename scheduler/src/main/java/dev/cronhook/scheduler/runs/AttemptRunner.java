package dev.cronhook.scheduler.runs;

import dev.cronhook.delivery.attempts.AttemptResult;
import dev.cronhook.delivery.http.HttpSender;
import dev.cronhook.delivery.http.Lane;
import dev.cronhook.delivery.http.PendingSend;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;

/**
 * Hands one attempt of a claimed run to the sender, where it waits its turn in its destination's queue; the request
 * is built and signed when that turn comes, and the outcome goes to the recorder.
 */
public final class AttemptRunner {
    private static final System.Logger LOG = System.getLogger(AttemptRunner.class.getName());

    private final HttpSender sender;
    private final OutcomeRecorder recorder;
    private final SchedulerMetrics metrics;

    public AttemptRunner(HttpSender sender, OutcomeRecorder recorder, SchedulerMetrics metrics) {
        this.sender = sender;
        this.recorder = recorder;
        this.metrics = metrics;
    }

    /**
     * Queues the attempt. Its outcome is recorded when it ends; {@code unrecorded} is told when it ends without one
     * (cut off by a stop, or a bug), so that its lease hands the run on.
     *
     * @throws IllegalStateException when the sender is closed
     */
    PendingSend start(ClaimedRun run, Runnable unrecorded) {
        // A catch-up (missed by downtime) lets the runs due now at its destination go first.
        Lane lane = run.trigger() == RunTrigger.CATCH_UP ? Lane.BACKLOG : Lane.ON_TIME;
        PendingSend send = sender.submit(run.job().definition().url(), lane, sentAt -> {
            // Lag is measured where the run is sent, after any wait for a connection: what a target sees.
            if (run.attemptNumber() == 1) {
                // From the run's due time: its slot plus its job's jitter.
                metrics.executionStarted(Duration.between(run.dueAt(), sentAt));
            }
            recorder.started(run, sentAt);
            return JobRequests.build(run, sentAt);
        });
        send.result().whenComplete((result, error) -> {
            if (result != null) {
                finished(run, result);
                return;
            }
            Throwable cause = error instanceof CompletionException ? error.getCause() : error;
            if (cause instanceof CancellationException) {
                if (send.started()) {
                    // A stop cut the request off past its grace: nothing is recorded, the lease hands the run on.
                    LOG.log(Level.INFO, "attempt job={0} execution={1} cut off by shutdown", run.job().id(),
                            run.executionId());
                }
            } else {
                LOG.log(Level.ERROR, "attempt of execution " + run.executionId() + " failed: " + cause);
            }
            unrecorded.run();
        });
        return send;
    }

    private void finished(ClaimedRun run, AttemptResult result) {
        metrics.attemptFinished(result);
        // Its log line is written by the recorder, once it is stored: one thread writes every such line, where
        // thousands of sending threads would contend for the logger.
        recorder.record(run, result);
    }
}
