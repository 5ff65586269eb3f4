package dev.cronhook.incident;

import dev.cronhook.incident.incidents.IncidentRepository;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Puts acknowledged incidents whose {@code ack_timeout_minutes} ran out back to triggered, and alerts again. Every
 * node sweeps; the conditional update lets exactly one of them reopen each incident.
 */
public final class AckTimeoutSweeper implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(AckTimeoutSweeper.class.getName());
    private static final int BATCH = 100;

    private final IncidentRepository incidents;
    private final IncidentEngine engine;
    private final Clock clock;
    private ScheduledExecutorService timer;

    AckTimeoutSweeper(IncidentRepository incidents, IncidentEngine engine, Clock clock) {
        this.incidents = incidents;
        this.engine = engine;
        this.clock = clock;
    }

    /** Reopens every incident due now; returns how many this call reopened. */
    public int runOnce() {
        int reopened = 0;
        List<String> due;
        do {
            due = incidents.ackExpired(clock.instant(), BATCH);
            for (String id : due) {
                if (engine.reopenExpired(id)) {
                    reopened++;
                    LOG.log(Level.INFO, "incident " + id + " reopened: its acknowledgement timed out");
                }
            }
        } while (due.size() == BATCH);
        return reopened;
    }

    synchronized void start(Duration interval) {
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "ack-timeout-sweeper");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::sweep, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void sweep() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            // The next sweep tries again; a database that is away for a moment must not stop the timer.
            LOG.log(Level.WARNING, "acknowledgement sweep failed: " + e.getClass().getName() + ": " + e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            try {
                timer.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            timer = null;
        }
    }
}
