package dev.cronhook.incident;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Opens incidents in batches, one transaction each: what arrives while a batch is written goes into the next one.
 * Incident numbers have no gaps, so the transaction that takes one holds the counter row until its commit is on
 * disk; with one opening per transaction, openings took turns at the pace of the disk flush (700/s in the intake
 * benchmark). A batch takes the numbers of all its openings at once. An event's reply waits for the commit of its
 * batch, so a reply still means the incident is stored.
 */
final class Openings implements AutoCloseable {
    private static final int MAX_BATCH = 100;

    private record Pending(IncidentEngine.Keyed event, CompletableFuture<IntakeResult> result) {
    }

    private final Function<List<IncidentEngine.Keyed>, List<IntakeResult>> applyAll;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    // Held while queueing and while closing: nothing is queued once the writer may have stopped.
    private final ReentrantLock admission = new ReentrantLock();
    private final Thread writer;
    private volatile boolean closing;

    /** @param applyAll applies a batch of events in one transaction, one result per event */
    Openings(Function<List<IncidentEngine.Keyed>, List<IntakeResult>> applyAll) {
        this.applyAll = applyAll;
        this.writer = Thread.ofPlatform().daemon().name("cronhook-incident-opener").start(this::writeLoop);
    }

    /**
     * Applies an event that found no open incident for its key, once its batch has committed. The batch looks
     * again: an incident opened meanwhile for the same key, by an earlier event of the batch or another node,
     * counts it instead.
     */
    IntakeResult apply(IncidentEngine.Keyed event) {
        Pending pending = new Pending(event, new CompletableFuture<>());
        admission.lock();
        try {
            if (closing) {
                throw new IllegalStateException("the incident receiver is stopping");
            }
            queue.add(pending);
        } finally {
            admission.unlock();
        }
        try {
            return pending.result().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /** Events waiting for a batch. */
    int backlog() {
        return queue.size();
    }

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        while (!closing || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Throwable e) {
                // The writer outlives anything a batch throws; its events get the error instead of waiting forever.
                batch.forEach(pending -> pending.result().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Pending> batch) {
        List<IntakeResult> results;
        try {
            results = applyAll.apply(batch.stream().map(Pending::event).toList());
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                batch.getFirst().result().completeExceptionally(e);
                return;
            }
            // One event the database refuses must not take the others with it: each runs alone.
            for (Pending pending : batch) {
                write(List.of(pending));
            }
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).result().complete(results.get(i));
        }
    }

    /** Writes what is queued, then stops; events that arrive later are refused. */
    @Override
    public void close() {
        admission.lock();
        try {
            closing = true;
        } finally {
            admission.unlock();
        }
        try {
            writer.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Pending left = queue.poll(); left != null; left = queue.poll()) {
            left.result().completeExceptionally(new IllegalStateException("the incident receiver stopped"));
        }
    }
}
