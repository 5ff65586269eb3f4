package dev.cronhook.scheduler.runs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Holds claimed runs in memory until their exact millisecond, then hands each to {@code start}. Never starts a run
 * before its time by the injected clock: a wake-up that comes early waits again for the rest.
 */
final class RunTimer implements AutoCloseable {
    private final Clock clock;
    private final Consumer<ClaimedRun> start;
    private final ScheduledThreadPoolExecutor timer;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    private static final class Pending {
        final ClaimedRun run;
        final Instant at;
        volatile ScheduledFuture<?> future;

        Pending(ClaimedRun run, Instant at) {
            this.run = run;
            this.at = at;
        }
    }

    RunTimer(Clock clock, Consumer<ClaimedRun> start) {
        this.clock = clock;
        this.start = start;
        this.timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "cronhook-run-timer");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
    }

    void schedule(ClaimedRun run) {
        schedule(run, run.dueAt());
    }

    /** Starts {@code run} at {@code at} instead of its due time: a run that waits for another to end looks again. */
    void schedule(ClaimedRun run, Instant at) {
        Pending entry = new Pending(run, at);
        pending.put(run.executionId(), entry);
        arm(entry);
    }

    private void arm(Pending entry) {
        long delay = Math.max(0, Duration.between(clock.instant(), entry.at).toNanos());
        entry.future = timer.schedule(() -> fire(entry), delay, TimeUnit.NANOSECONDS);
    }

    private void fire(Pending entry) {
        Instant now = clock.instant();
        if (now.isBefore(entry.at)) {
            arm(entry);
            return;
        }
        if (pending.remove(entry.run.executionId(), entry)) {
            start.accept(entry.run);
        }
    }

    /** Takes back one run if it has not started; null when it has, or was never here. */
    ClaimedRun cancel(String executionId) {
        Pending entry = pending.remove(executionId);
        if (entry == null) {
            return null;
        }
        ScheduledFuture<?> future = entry.future;
        if (future != null) {
            future.cancel(false);
        }
        return entry.run;
    }

    /** Takes back the runs of a job that have not started; they will not start. */
    List<ClaimedRun> cancelJob(String jobId) {
        List<ClaimedRun> cancelled = new ArrayList<>();
        for (Pending entry : pending.values()) {
            if (entry.run.job().id().equals(jobId) && pending.remove(entry.run.executionId(), entry)) {
                ScheduledFuture<?> future = entry.future;
                if (future != null) {
                    future.cancel(false);
                }
                cancelled.add(entry.run);
            }
        }
        return cancelled;
    }

    /** Takes back every run not yet started (a stopping node hands them over). */
    List<ClaimedRun> drain() {
        List<ClaimedRun> drained = new ArrayList<>();
        for (Pending entry : pending.values()) {
            if (pending.remove(entry.run.executionId(), entry)) {
                ScheduledFuture<?> future = entry.future;
                if (future != null) {
                    future.cancel(false);
                }
                drained.add(entry.run);
            }
        }
        return drained;
    }

    int size() {
        return pending.size();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
