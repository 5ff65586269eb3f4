package dev.cronhook.scheduler.runs;

import dev.cronhook.common.db.DatabaseErrors;
import dev.cronhook.delivery.http.PendingSend;
import dev.cronhook.scheduler.jobs.Concurrency;
import dev.cronhook.scheduler.jobs.Job;
import dev.cronhook.scheduler.jobs.JobRuns;
import dev.cronhook.scheduler.jobs.JobType;
import dev.cronhook.scheduler.quartz.QuartzTicker;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * The flow of a run: a tick claims due runs (batched commits), the timer holds each until its millisecond, the
 * sender's queue for its destination sends it when a connection is free, and the recorder stores the outcome (group
 * commit).
 *
 * <p>Every node ticks in process each tick interval; claims are safe on any number of nodes (locked rows, the unique
 * slot key), and an idle tick costs one index probe. The clustered Quartz trigger fires the sweep once a minute on
 * one node: a Quartz firing costs some 25 statements of its own, far too many for every second.
 */
public final class SchedulerEngine implements JobRuns, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SchedulerEngine.class.getName());
    /** How often Quartz fires the clustered sweep. */
    static final Duration SWEEP_INTERVAL = Duration.ofMinutes(1);
    /**
     * How often a tick hands back the runs whose lease ran out, for the pick to take over. A node that dies is handed
     * on at once by the heartbeat; this is for a lease lost otherwise, which already had a minute of grace.
     */
    static final Duration LEASE_SWEEP_INTERVAL = Duration.ofSeconds(5);
    /**
     * Late runs (a backlog after downtime or overload) are claimed only while fewer than this many runs wait in the
     * timer or are in flight: a backlog drains at the pace this node sends, not as one burst of connections that
     * fail, and on-time runs are never queued behind it.
     */
    static final int MAX_BACKLOG_IN_HAND = 4096;
    /**
     * While a backlog is worked off, a tick comes this soon after the last to top the runs in hand back up: waiting
     * the whole tick interval left a node idle for most of each second once it had sent what it held.
     */
    static final Duration BACKLOG_TOP_UP = Duration.ofMillis(200);
    /** Retention deletes this many rows per statement, and at most this many batches per sweep. */
    static final int SWEEP_BATCH = 1000;
    static final int MAX_SWEEP_BATCHES = 100;

    private final RunClaimer claimer;
    private final RunTimer timer;
    private final ExecutionRepository executions;
    private final OutcomeRecorder recorder;
    private final QuartzTicker sweeper;
    private final HeldRuns held;
    private final OverlapGuard overlaps;
    /** Runs whose time came, queued at or being sent to their destination, until their attempt ends. */
    private final Map<String, InHand> sending = new ConcurrentHashMap<>();
    private final List<Retention> retentions = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("cronhook-tick").factory());
    private final Clock clock;
    private final SchedulerSettings settings;
    /** Whether this node's heartbeat allows it to take over others' runs (see NodeHeartbeat#mayTakeOver). */
    private final BooleanSupplier mayTakeOver;
    private volatile Instant nextLeaseSweep;
    private final AtomicBoolean tickPending = new AtomicBoolean();
    /** How many times runs were taken back from the timer, and the last time for each job (see take). */
    private final AtomicLong cancellations = new AtomicLong();
    private final Map<String, Long> cancelledJobs = new ConcurrentHashMap<>();
    /** The cancellation count when the last tick's claim began; written by the tick thread only. */
    private volatile long lastPass;
    /** Ticks fail in a row while the database is away: logged when it starts and when it ends, not every second. */
    private int failedTicks;

    public SchedulerEngine(RunClaimer claimer, ExecutionRepository executions, OutcomeRecorder recorder, AttemptRunner runner,
                    HeldRuns held, OverlapGuard overlaps, javax.sql.DataSource dataSource,
                    BooleanSupplier mayTakeOver, Clock clock, SchedulerSettings settings) {
        this.mayTakeOver = mayTakeOver;
        this.overlaps = overlaps;
        this.claimer = claimer;
        this.held = held;
        this.executions = executions;
        this.recorder = recorder;
        this.clock = clock;
        this.settings = settings;
        this.timer = new RunTimer(clock, run -> send(runner, run));
        this.sweeper = new QuartzTicker(dataSource, new QuartzTicker.Settings(settings.schedulerName(),
                settings.clustered(), settings.postgres(), SWEEP_INTERVAL), this::sweep);
        this.nextLeaseSweep = clock.instant();
    }

    public void start() {
        if (!settings.clustered()) {
            int released = executions.releaseAllLeases(clock.instant());
            if (released > 0) {
                LOG.log(Level.INFO, "taking over " + released + " runs the last start left unfinished");
            }
        }
        sweeper.start();
        ticks.execute(this::tickOnSchedule);
    }

    /**
     * Ticks start a tick interval apart, not an interval after the last one ended: runs are claimed a lookahead
     * ahead, and a busy node whose ticks took 0.6 s came back only every 1.6-2.1 s, at the edge of that lookahead.
     * A tick that overran its interval is followed after a short pause, never back to back.
     */
    private void tickOnSchedule() {
        long began = System.nanoTime();
        tick();
        long interval = settings.tickInterval().toNanos();
        long rest = Math.max(interval / 10, interval - (System.nanoTime() - began));
        try {
            ticks.schedule(this::tickOnSchedule, rest, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Stopping: no more ticks.
        }
    }

    public boolean running() {
        return sweeper.isRunning() && !ticks.isShutdown();
    }

    /**
     * One tick: keep the leases of held runs; now and then hand back runs whose lease ran out; claim every run due
     * soon, with the one pick.
     */
    void tick() {
        try {
            long began = System.nanoTime();
            held.renewExpiring(executions);
            Instant now = clock.instant();
            int lapsed = 0;
            // A node whose heartbeat lapsed may itself be taken for dead: it leaves others' runs alone.
            if (!now.isBefore(nextLeaseSweep) && mayTakeOver.getAsBoolean()) {
                nextLeaseSweep = now.plus(LEASE_SWEEP_INTERVAL);
                lapsed = executions.endLapsedLeases(now);
                if (lapsed > 0) {
                    claimer.lookBehindNow();
                }
            }
            long claimBegan = System.nanoTime();
            int backlogBudget = Math.max(0, MAX_BACKLOG_IN_HAND - timer.size() - sending.size());
            long pass = cancellations.get();
            // Cancellations the last pass began after can no longer meet a claim still handing runs over.
            long before = lastPass;
            cancelledJobs.values().removeIf(at -> at <= before);
            lastPass = pass;
            int claimed = claimer.claimDue(backlogBudget, run -> take(run, pass)).size();
            if (claimer.backlogWaiting()) {
                tickSoon(BACKLOG_TOP_UP);
            }
            long ended = System.nanoTime();
            if (ended - began > settings.tickInterval().toNanos() / 2) {
                // Runs are claimed a lookahead ahead; ticks this slow eat into it, and the next ones make runs late.
                LOG.log(Level.INFO, "slow tick: " + millis(ended - began) + " ms (leases "
                        + millis(claimBegan - began) + " ms, " + lapsed + " lapsed; " + claimed + " runs "
                        + millis(ended - claimBegan) + " ms)");
            }
            if (failedTicks > 0) {
                LOG.log(Level.INFO, "ticking again after " + failedTicks + " failed ticks");
                failedTicks = 0;
            }
        } catch (RuntimeException e) {
            // The next tick tries again; nothing claimed is lost, as claims and their runs commit together.
            if (DatabaseErrors.unreachable(e)) {
                claimer.databaseFailed();
            }
            if (failedTicks++ == 0) {
                LOG.log(Level.WARNING, "tick failed: " + e.getMessage() + " (trying every tick)");
            }
        }
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    /**
     * An extra tick after {@code delay}, unless one is already coming: to top up a backlog in hand, or to claim at once
     * what was just made due (a job created or changed, runs handed on by a dead node).
     */
    private void tickSoon(Duration delay) {
        if (tickPending.compareAndSet(false, true)) {
            try {
                ticks.schedule(() -> {
                    tickPending.set(false);
                    tick();
                }, delay.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                tickPending.set(false); // stopping
            }
        }
    }

    /** Runs were handed on (a node died): a tick claims them now instead of at the next tick. */
    public void takeOverSoon() {
        claimer.lookBehindNow();
        tickSoon(Duration.ZERO);
    }

    /**
     * This node was declared dead while it could not heartbeat: the runs it holds may have been taken over already,
     * so the ones not yet under way are dropped without a word to the database (the heartbeat hands on whatever is
     * still this node's). Requests under way finish; the first outcome recorded for an attempt stands.
     */
    public void fence() {
        List<ClaimedRun> dropped = new ArrayList<>(timer.drain());
        dropped.addAll(withdraw(inHand -> true));
        held.release(dropped.stream().map(ClaimedRun::executionId).toList());
        LOG.log(Level.WARNING, "fenced: dropped " + dropped.size() + " claimed runs not yet sent");
    }

    /** Another table to sweep; see {@link Retention}. */
    public void retainAlso(Retention retention) {
        retentions.add(retention);
    }

    /**
     * The clustered sweep, once a minute on one node: old history goes, and the next tick hands back lapsed leases. Other tables
     * go in batches, so that a large backlog (retention shortened, or first turned on) is worked off over several
     * sweeps without long statements.
     */
    void sweep() {
        nextLeaseSweep = clock.instant();
        Instant now = clock.instant();
        try {
            int deleted = executions.deleteCreatedBefore(now.minus(settings.retention()));
            if (deleted > 0) {
                LOG.log(Level.INFO, "retention removed " + deleted + " executions");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "retention sweep failed: " + e.getMessage());
        }
        for (Retention retention : retentions) {
            int total = 0;
            try {
                for (int batch = 0; batch < MAX_SWEEP_BATCHES; batch++) {
                    int deleted = retention.sweep().deleteBefore(now.minus(retention.keep()), SWEEP_BATCH);
                    total += deleted;
                    if (deleted < SWEEP_BATCH) {
                        break;
                    }
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "retention sweep of " + retention.what() + " failed: " + e.getMessage());
            }
            if (total > 0) {
                LOG.log(Level.INFO, "retention removed " + total + " " + retention.what());
            }
        }
    }

    /**
     * A claimed run waits in the timer for its time, held (its lease renewed) until its outcome is stored. {@code pass}:
     * the count of cancellations when its claim began. A pause or change of the job waits for the claim's transaction,
     * then cancels what the timer holds, and may do so before this hands the run over: a run whose job was cancelled
     * since its claim began is taken back here. Either that cancel or this check finds it in the timer.
     */
    private void take(ClaimedRun run, long pass) {
        held.hold(run);
        timer.schedule(run);
        Long cancelledAt = cancelledJobs.get(run.job().id());
        if (cancelledAt != null && cancelledAt > pass) {
            ClaimedRun late = timer.cancel(run.executionId());
            if (late != null) {
                held.release(List.of(late.executionId()));
                boolean onceOwnRun = late.job().type() == JobType.ONCE && late.trigger() != RunTrigger.MANUAL;
                if (late.attemptNumber() == 1 && !onceOwnRun) {
                    executions.deleteUnstarted(late.executionId());
                } else {
                    // A one-time job's only run, or a retry, is owed: it waits for the job as it is now.
                    executions.release(late, clock.instant());
                }
            }
        }
    }

    private record InHand(ClaimedRun run, PendingSend send) {
    }

    /**
     * Its time came: to its destination's queue, where it waits for a free connection without a thread of its own. A
     * first attempt of a {@code forbid} job asks the overlap guard first, on a thread of its own, as that costs a
     * transaction the timer must not wait for.
     */
    private void send(AttemptRunner runner, ClaimedRun run) {
        if (run.attemptNumber() == 1 && run.job().definition().concurrency() == Concurrency.FORBID) {
            Thread.ofVirtual().name("cronhook-overlap-" + run.executionId()).start(() -> admit(runner, run));
        } else {
            enqueue(runner, run);
        }
    }

    private void admit(AttemptRunner runner, ClaimedRun run) {
        OverlapGuard.Decision decision;
        try {
            decision = overlaps.admit(run);
        } catch (RuntimeException e) {
            // Undecided, so unsent: its lease runs out and a later tick decides again.
            held.release(List.of(run.executionId()));
            LOG.log(Level.WARNING, "overlap check of execution " + run.executionId() + " failed: " + e.getMessage());
            return;
        }
        switch (decision) {
            case SEND -> enqueue(runner, run);
            // Still this node's, under its lease: it looks again in a moment, here.
            case WAIT -> timer.schedule(run, clock.instant().plus(OverlapGuard.WAIT));
            case SKIPPED, GONE -> held.release(List.of(run.executionId()));
        }
    }

    private void enqueue(AttemptRunner runner, ClaimedRun run) {
        // Nothing recorded: its lease runs out and a later tick sends it again.
        Runnable unrecorded = () -> held.release(List.of(run.executionId()));
        PendingSend send;
        try {
            send = runner.start(run, unrecorded);
        } catch (RuntimeException e) {
            unrecorded.run();
            LOG.log(Level.ERROR, "attempt of execution " + run.executionId() + " not started: " + e);
            return;
        }
        sending.put(run.executionId(), new InHand(run, send));
        send.result().whenComplete((result, error) -> sending.remove(run.executionId()));
    }

    @Override
    public void offer(String jobId) {
        tickSoon(Duration.ZERO);
    }

    /**
     * Called after a job was paused, changed or deleted: its claimed runs that have not started never will.
     * Returns the runs taken back.
     */
    List<ClaimedRun> cancel(String jobId) {
        // Before the timer is looked at: a claim that hands a run of the job over after this sees it (see take).
        cancelledJobs.put(jobId, cancellations.incrementAndGet());
        List<ClaimedRun> cancelled = new ArrayList<>(timer.cancelJob(jobId));
        cancelled.addAll(withdraw(inHand -> inHand.run().job().id().equals(jobId)));
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

    @Override
    public boolean takeBack(String jobId) {
        return cancel(jobId).stream().anyMatch(run -> run.job().type() == JobType.ONCE
                && run.trigger() != RunTrigger.MANUAL && run.attemptNumber() == 1);
    }

    /** Records a manual run and claims it at once; returns its execution id. */
    String triggerNow(Job job) {
        long pass = cancellations.get();
        RunClaimer.ManualRun run = claimer.claimManual(job);
        run.claimed().forEach(claimed -> take(claimed, pass));
        return run.executionId();
    }

    /** Takes back the queued runs that have not started and match; they will not start. */
    private List<ClaimedRun> withdraw(Predicate<InHand> which) {
        List<ClaimedRun> withdrawn = new ArrayList<>();
        for (InHand inHand : sending.values()) {
            if (which.test(inHand) && inHand.send().withdraw()) {
                withdrawn.add(inHand.run());
            }
        }
        return withdrawn;
    }

    /**
     * Graceful stop: no new ticks; runs claimed but not started (waiting for their time or for a connection) are
     * handed back (their lease ends now, so the next start or another node sends them); requests under way get what
     * is left of the shutdown grace, then are cut off, unrecorded (the node then hands their leases on, see
     * NodeHeartbeat#handOnOwnWork); outcomes are flushed.
     */
    @Override
    public void close() {
        // One deadline for the whole stop: a tick still claiming and requests under way share the grace.
        long deadline = System.nanoTime() + settings.shutdownGrace().toNanos();
        ticks.shutdownNow();
        try {
            ticks.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sweeper.close();
        List<ClaimedRun> unstarted = new ArrayList<>(timer.drain());
        unstarted.addAll(withdraw(inHand -> true));
        try {
            Instant now = clock.instant();
            unstarted.forEach(run -> executions.release(run, now));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not hand back " + unstarted.size() + " claimed runs: " + e.getMessage());
        }
        try {
            while (!sending.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!sending.isEmpty()) {
            LOG.log(Level.INFO, "stop: " + sending.size() + " requests under way at the end of the grace are cut off");
        }
        sending.values().forEach(inHand -> inHand.send().abandon());
        recorder.close();
        timer.close();
    }
}
