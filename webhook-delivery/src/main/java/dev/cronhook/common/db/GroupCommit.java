package dev.cronhook.common.db;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Group commit: items that arrive while a batch is written go into the next batch, one transaction each, on a thread
 * of its own. A commit costs a disk flush, so one transaction per item would bound throughput by the disk; every
 * batch writer of Cronhook (attempt outcomes, delivery settlements, incident openings) goes through this one.
 *
 * <p>When a batch fails: if the database is away or the failure is one a retry may cure ({@link
 * DatabaseErrors#retryable}), the whole batch is tried again after a pause, up to {@link Settings#retryableTries}
 * times (while closing, at most {@link #TRIES_WHILE_CLOSING}); any other failure means one item may be at fault, so
 * each item of the batch is written alone, and only the ones the database refuses fail. A failed item's future
 * completes exceptionally with the writer's own exception.
 *
 * @param <T> what is written
 * @param <R> what writing an item answers
 */
public final class GroupCommit<T, R> implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(GroupCommit.class.getName());
    static final int TRIES_WHILE_CLOSING = 3;
    private static final long MAX_PAUSE_MILLIS = 5_000;

    /** Writes a batch in one transaction of its own and answers one result per item, in the batch's order. */
    @FunctionalInterface
    public interface BatchWriter<T, R> {
        List<R> write(List<T> batch);
    }

    /**
     * @param name names the writer's thread and its log lines
     * @param maxBatch most items in one transaction
     * @param retryableTries how often a batch that failed for a {@linkplain DatabaseErrors#retryable retryable}
     *     reason is tried in all ({@link Integer#MAX_VALUE}: until the database is back, for what must not be lost;
     *     1: at once, for a caller that is waiting and would rather hear of it)
     * @param firstPause the pause after the first failure, doubled after each one (up to 5 s)
     * @param closeWait how long {@link #close} waits for what is queued to be written
     */
    public record Settings(String name, int maxBatch, int retryableTries, Duration firstPause, Duration closeWait) {
        public Settings {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(firstPause, "firstPause");
            Objects.requireNonNull(closeWait, "closeWait");
            if (maxBatch < 1 || retryableTries < 1) {
                throw new IllegalArgumentException("maxBatch and retryableTries must be at least 1");
            }
        }
    }

    private record Pending<T, R>(T item, CompletableFuture<R> result) {
    }

    private final Settings settings;
    private final BatchWriter<T, R> writer;
    private final LinkedBlockingQueue<Pending<T, R>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closing;
    // Set once the writer has stopped and what it left is failed: an item queued later is taken back by its sender.
    private volatile boolean stopped;

    public GroupCommit(Settings settings, BatchWriter<T, R> writer) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.writer = Objects.requireNonNull(writer, "writer");
        this.thread = Thread.ofPlatform().daemon().name(settings.name()).start(this::writeLoop);
    }

    /**
     * Queues an item for the next batch. The future completes once its batch has committed, or exceptionally when it
     * could not be written — with {@link IllegalStateException} when this writer is closed.
     */
    public CompletableFuture<R> submit(T item) {
        Pending<T, R> pending = new Pending<>(item, new CompletableFuture<>());
        // No lock of its own on this path (every attempt passes it twice): the queue locks already. An item that
        // races close() is either written, failed with what the writer left, or taken back here.
        if (closing) {
            pending.result().completeExceptionally(new IllegalStateException(settings.name() + " is closed"));
            return pending.result();
        }
        queue.add(pending);
        if (stopped && queue.remove(pending)) {
            pending.result().completeExceptionally(new IllegalStateException(settings.name() + " is closed"));
        }
        return pending.result();
    }

    /** Items waiting for a batch. */
    public int backlog() {
        return queue.size();
    }

    private void writeLoop() {
        List<Pending<T, R>> batch = new ArrayList<>(Math.min(settings.maxBatch(), 1024));
        while (!closing || !queue.isEmpty()) {
            try {
                Pending<T, R> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, settings.maxBatch() - 1);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                batch.forEach(pending -> pending.result().completeExceptionally(e));
                return;
            } catch (RuntimeException | Error e) {
                // The writer outlives anything a batch throws; its items hear of it instead of waiting forever.
                batch.forEach(pending -> pending.result().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Pending<T, R>> batch) throws InterruptedException {
        RuntimeException failure;
        for (int tries = 1; ; tries++) {
            try {
                List<R> results = writer.write(batch.stream().map(Pending::item).toList());
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).result().complete(results.get(i));
                }
                return;
            } catch (RuntimeException e) {
                failure = e;
            }
            int allowed = closing ? Math.min(TRIES_WHILE_CLOSING, settings.retryableTries()) : settings.retryableTries();
            if (!DatabaseErrors.retryable(failure) || tries >= allowed) {
                break;
            }
            long pause = Math.min(MAX_PAUSE_MILLIS, settings.firstPause().toMillis() << Math.min(tries - 1, 16));
            LOG.log(Level.WARNING, settings.name() + ": writing " + batch.size() + " failed (try " + tries
                    + "), again in " + pause + " ms: " + failure.getMessage());
            Thread.sleep(pause);
        }
        if (batch.size() == 1 || DatabaseErrors.retryable(failure)) {
            // Alone already, or the database is still away: a write of one item would fail the same way.
            LOG.log(Level.WARNING, settings.name() + ": " + batch.size() + " not written: " + failure.getMessage());
            for (Pending<T, R> pending : batch) {
                pending.result().completeExceptionally(failure);
            }
            return;
        }
        // One item the database refuses must not take the others with it: each is written alone.
        LOG.log(Level.WARNING, settings.name() + ": writing " + batch.size() + " failed, writing them one by one: "
                + failure.getMessage());
        for (Pending<T, R> pending : batch) {
            write(List.of(pending));
        }
    }

    /** Writes what is queued (waiting up to the close wait), then stops; what is left and what comes later fails. */
    @Override
    public void close() {
        closing = true;
        try {
            thread.join(settings.closeWait().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopped = true;
        for (Pending<T, R> left = queue.poll(); left != null; left = queue.poll()) {
            left.result().completeExceptionally(new IllegalStateException(settings.name() + " stopped"));
        }
    }
}
