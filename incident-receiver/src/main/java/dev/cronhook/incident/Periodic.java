package dev.cronhook.incident;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs one task every interval on a daemon thread of its own until closed. A run that throws does not stop the
 * next: a database away for a while is one warning when the runs start failing and one line when they work again.
 */
final class Periodic implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Periodic.class.getName());

    private final String name;
    private final ScheduledExecutorService timer;
    private boolean failing;

    private Periodic(String name, Runnable task, Duration interval) {
        this.name = name;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(() -> run(task), interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    static Periodic start(String name, Runnable task, Duration interval) {
        return new Periodic(name, task, interval);
    }

    private void run(Runnable task) {
        try {
            task.run();
            if (failing) {
                failing = false;
                LOG.log(Level.INFO, name + " works again");
            }
        } catch (RuntimeException e) {
            if (!failing) {
                failing = true;
                LOG.log(Level.WARNING, name + " failed, and is tried again every interval: " + e.getClass().getName()
                        + ": " + e.getMessage());
            }
        }
    }

    /** Stops the timer, waiting a few seconds for a run under way. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
