package dev.cronhook.scheduler;

import dev.cronhook.scheduler.quartz.QuartzTicker;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The flow of a run: a Quartz tick claims due runs (batched commits), the timer holds each until its millisecond,
 * a virtual thread sends it, and the recorder stores the outcome (group commit).
 */
final class SchedulerEngine implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SchedulerEngine.class.getName());

    private final RunClaimer claimer;
    private final RunTimer timer;
    private final ExecutionRepository executions;
    private final OutcomeRecorder recorder;
    private final QuartzTicker ticker;
    private final HeldRuns held;
    /**
     * Late runs (a backlog after downtime or overload) are claimed only while fewer than this many runs wait in the
     * timer or are in flight: a backlog drains at the pace this node sends, not as one burst of connections that
     * fail, and on-time runs are never queued behind it.
     */
    static final int MAX_BACKLOG_IN_HAND = 4096;

    private final ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Clock clock;
    private final SchedulerSettings settings;
    private volatile Instant nextRetentionSweep;

    SchedulerEngine(RunClaimer claimer, ExecutionRepository executions, OutcomeRecorder recorder, AttemptRunner runner,
                    HeldRuns held, javax.sql.DataSource dataSource, Clock clock, SchedulerSettings settings) {
        this.claimer = claimer;
        this.held = held;
        this.executions = executions;
        this.recorder = recorder;
        this.clock = clock;
        this.settings = settings;
        this.timer = new RunTimer(clock, run -> requests.execute(() -> {
            inFlight.incrementAndGet();
            try {
                runner.run(run);
            } catch (RuntimeException e) {
                // Nothing recorded: let its lease run out, so that a later tick sends it again.
                held.release(List.of(run.executionId()));
                LOG.log(Level.ERROR, "attempt of execution " + run.executionId() + " failed: " + e);
            } finally {
                inFlight.decrementAndGet();
            }
        }));
        this.ticker = new QuartzTicker(dataSource, new QuartzTicker.Settings(settings.schedulerName(),
                settings.clustered(), settings.postgres(), settings.tickInterval()), this::tick);
        this.nextRetentionSweep = clock.instant();
    }

    void start() {
        if (!settings.clustered()) {
            int released = executions.releaseAllLeases(clock.instant());
            if (released > 0) {
                LOG.log(Level.INFO, "taking over " + released + " runs the last start left unfinished");
            }
        }
        ticker.start();
    }

    boolean running() {
        return ticker.isRunning();
    }

    /** One firing of the Quartz trigger: take over abandoned runs, claim what is due soon, sweep old history. */
    void tick() {
        try {
            held.renewExpiring(executions);
            claimer.claimAbandoned(held::holds).forEach(this::take);
            claimer.claimRetries().forEach(this::take);
            int backlogBudget = Math.max(0, MAX_BACKLOG_IN_HAND - timer.size() - inFlight.get());
            claimer.claimDue(backlogBudget, this::take);
            sweepRetention();
        } catch (RuntimeException e) {
            // The next tick tries again; nothing claimed is lost, as claims and their runs commit together.
            LOG.log(Level.WARNING, "tick failed: " + e.getMessage());
        }
    }

    /** A claimed run waits in the timer for its time, held (its lease renewed) until its outcome is stored. */
    private void take(ClaimedRun run) {
        held.hold(run);
        timer.schedule(run);
    }

    /** Called after a job was created, changed or resumed: a run due within the lookahead is claimed now. */
    void offer(String jobId) {
        claimer.claimIfDue(jobId).forEach(this::take);
    }

    /**
     * Called after a job was paused, changed or deleted: its claimed runs that have not started never will.
     * Returns the runs taken back.
     */
    List<ClaimedRun> cancel(String jobId) {
        List<ClaimedRun> cancelled = timer.cancelJob(jobId);
        held.release(cancelled.stream().map(ClaimedRun::executionId).toList());
        Instant now = clock.instant();
        for (ClaimedRun run : cancelled) {
            if (run.attemptNumber() == 1) {
                executions.deleteUnstarted(run.executionId());
            } else {
                // A retry is owed whatever happens to the schedule: it waits (paused) or goes on (changed job).
                executions.release(run, now);
            }
        }
        return cancelled;
    }

    ClaimedRun triggerNow(Job job) {
        ClaimedRun run = claimer.claimManual(job);
        take(run);
        return run;
    }

    private void sweepRetention() {
        Instant now = clock.instant();
        if (now.isBefore(nextRetentionSweep)) {
            return;
        }
        nextRetentionSweep = now.plusSeconds(3600);
        int deleted = executions.deleteCreatedBefore(now.minus(settings.retention()));
        if (deleted > 0) {
            LOG.log(Level.INFO, "retention removed " + deleted + " executions");
        }
    }

    /**
     * Graceful stop: no new ticks; runs claimed but not started are handed back (their lease ends now, so the next
     * start or another node sends them); requests in flight get up to the shutdown grace; outcomes are flushed.
     */
    @Override
    public void close() {
        ticker.close();
        List<ClaimedRun> unstarted = timer.drain();
        try {
            Instant now = clock.instant();
            unstarted.forEach(run -> executions.release(run, now));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not hand back " + unstarted.size() + " claimed runs: " + e.getMessage());
        }
        requests.shutdown();
        try {
            if (!requests.awaitTermination(settings.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                requests.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        recorder.close();
        timer.close();
    }
}
