package dev.cronhook.scheduler;

import dev.cronhook.delivery.AttemptResult;
import dev.cronhook.delivery.Outcome;
import dev.cronhook.delivery.db.Transactions;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Stores attempt outcomes and the notification events of attempts. What arrives together is written in one
 * transaction (group commit): a commit costs a disk flush, so one per attempt would bound throughput by the disk.
 * A retry is stored in the same transaction as the failed attempt that calls for it, and each event in the same
 * transaction as what it reports, so neither is lost by a restart.
 */
final class OutcomeRecorder implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(OutcomeRecorder.class.getName());
    private static final int MAX_BATCH = 500;

    /** What the writer stores: an attempt that started (its event only) or one that finished. */
    sealed interface Item permits Started, Finished {
        ClaimedRun run();
    }

    record Started(ClaimedRun run, Instant at) implements Item {
    }

    record Finished(ClaimedRun run, AttemptResult result) implements Item {
    }

    private final DbClient db;
    private final ExecutionRepository executions;
    private final JobRepository jobs;
    private final JobNotifications notifications;
    private final Clock clock;
    private final RetryPolicy retries;
    private final LinkedBlockingQueue<Item> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closing;

    OutcomeRecorder(DbClient db, ExecutionRepository executions, JobRepository jobs, JobNotifications notifications,
                    Clock clock, RetryPolicy retries) {
        this.db = db;
        this.executions = executions;
        this.jobs = jobs;
        this.notifications = notifications;
        this.clock = clock;
        this.retries = retries;
        this.writer = Thread.ofPlatform().daemon().name("cronhook-outcome-writer").start(this::writeLoop);
    }

    void started(ClaimedRun run, Instant at) {
        queue.add(new Started(run, at));
    }

    void record(ClaimedRun run, AttemptResult result) {
        queue.add(new Finished(run, result));
    }

    int backlog() {
        return queue.size();
    }

    private void writeLoop() {
        List<Item> batch = new ArrayList<>(MAX_BATCH);
        while (!closing || !queue.isEmpty()) {
            try {
                Item first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                writeWithRetry(batch);
                batch.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void writeWithRetry(List<Item> batch) throws InterruptedException {
        for (int failures = 0; ; failures++) {
            try {
                if (write(batch) > 0) {
                    notifications.wake();
                }
                return;
            } catch (RuntimeException e) {
                if (closing && failures >= 3) {
                    // The executions stay "running"; their lease runs out and they are sent again.
                    LOG.log(Level.ERROR, "giving up on recording " + batch.size() + " outcomes: " + e.getMessage());
                    return;
                }
                LOG.log(Level.WARNING, "recording " + batch.size() + " outcomes failed, retrying: " + e.getMessage());
                Thread.sleep(Math.min(5000, 100L << Math.min(failures, 6)));
            }
        }
    }

    /** Writes the batch in one transaction; returns how many notification deliveries it queued. */
    private int write(List<Item> batch) {
        Instant now = clock.instant();
        return Transactions.inTransaction(db, tx -> {
            List<Webhook> subscribers = notifications.subscribers(tx);
            Set<String> existing = executions.existing(tx, batch.stream()
                    .filter(item -> item instanceof Finished).map(item -> item.run().executionId()).toList());
            int queued = 0;
            for (Item item : batch) {
                queued += switch (item) {
                    case Started started -> notifications.started(tx, subscribers, started.run(), started.at());
                    case Finished finished -> {
                        ClaimedRun run = finished.run();
                        if (!existing.contains(run.executionId())) {
                            // Its job was deleted while the request was in flight: nothing left to record it on.
                            // Writing it anyway would fail this batch on the foreign key for good and hold back
                            // every later outcome.
                            LOG.log(Level.INFO, "execution {0} was deleted with its job; its outcome is dropped",
                                    run.executionId());
                            yield 0;
                        }
                        yield recordOutcome(tx, subscribers, run, finished.result(), now);
                    }
                };
            }
            return queued;
        });
    }

    private int recordOutcome(DbExecute tx, List<Webhook> subscribers, ClaimedRun run,
                              AttemptResult result, Instant now) {
        boolean success = result.outcome() == Outcome.SUCCESS;
        // Cron jobs never retry: their next scheduled run is the next chance.
        Instant nextAttemptAt = run.job().type() == JobType.ONCE
                ? retries.nextAttemptAt(run.attemptNumber(), result) : null;
        ExecutionStatus status = success ? ExecutionStatus.SUCCEEDED
                : nextAttemptAt != null ? ExecutionStatus.RETRY_SCHEDULED : ExecutionStatus.FAILED;
        executions.insertAttempt(tx, run.executionId(), run.attemptNumber(), result);
        if (!executions.finish(tx, run.executionId(), run.attemptNumber(), status, nextAttemptAt, now)) {
            return 0;
        }
        if (run.job().type() == JobType.ONCE && run.trigger() != RunTrigger.MANUAL) {
            jobs.settleOnce(tx, run.job().id(), switch (status) {
                case SUCCEEDED -> OnceStatus.SUCCEEDED;
                case RETRY_SCHEDULED -> OnceStatus.RETRYING;
                default -> OnceStatus.FAILED;
            }, now);
        }
        return notifications.finished(tx, subscribers, run, result, status, nextAttemptAt);
    }

    /** Writes what is queued, then stops. */
    @Override
    public void close() {
        closing = true;
        try {
            writer.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
