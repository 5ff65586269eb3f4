package dev.cronhook.scheduler;

import dev.cronhook.delivery.AttemptResult;
import dev.cronhook.delivery.db.Transactions;
import io.helidon.dbclient.DbClient;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Stores attempt outcomes. Outcomes that arrive together are written in one transaction (group commit): a commit
 * costs a disk flush, so one per attempt would bound throughput by the disk. A retry is stored in the same
 * transaction as the failed attempt that calls for it, so it survives any restart.
 */
final class OutcomeRecorder implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(OutcomeRecorder.class.getName());
    private static final int MAX_BATCH = 500;

    record Finished(ClaimedRun run, AttemptResult result) {
    }

    private final DbClient db;
    private final ExecutionRepository executions;
    private final JobRepository jobs;
    private final Clock clock;
    private final RetryPolicy retries;
    private final LinkedBlockingQueue<Finished> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closing;

    OutcomeRecorder(DbClient db, ExecutionRepository executions, JobRepository jobs, Clock clock, RetryPolicy retries) {
        this.db = db;
        this.retries = retries;
        this.executions = executions;
        this.jobs = jobs;
        this.clock = clock;
        this.writer = Thread.ofPlatform().daemon().name("cronhook-outcome-writer").start(this::writeLoop);
    }

    void record(ClaimedRun run, AttemptResult result) {
        queue.add(new Finished(run, result));
    }

    int backlog() {
        return queue.size();
    }

    private void writeLoop() {
        List<Finished> batch = new ArrayList<>(MAX_BATCH);
        while (!closing || !queue.isEmpty()) {
            try {
                Finished first = queue.poll(100, TimeUnit.MILLISECONDS);
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

    private void writeWithRetry(List<Finished> batch) throws InterruptedException {
        for (int failures = 0; ; failures++) {
            try {
                write(batch);
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

    private void write(List<Finished> batch) {
        Instant now = clock.instant();
        Transactions.inTransaction(db, tx -> {
            for (Finished finished : batch) {
                ClaimedRun run = finished.run();
                AttemptResult result = finished.result();
                if (!executions.exists(tx, run.executionId())) {
                    // Its job was deleted while the request was in flight: nothing left to record it on. Writing it
                    // anyway would fail this batch on the foreign key for good and hold back every later outcome.
                    LOG.log(Level.INFO, "execution {0} was deleted with its job; its outcome is dropped",
                            run.executionId());
                    continue;
                }
                boolean success = result.outcome() == dev.cronhook.delivery.Outcome.SUCCESS;
                // Cron jobs never retry: their next scheduled run is the next chance.
                Instant nextAttemptAt = run.job().type() == JobType.ONCE
                        ? retries.nextAttemptAt(run.attemptNumber(), result) : null;
                ExecutionStatus status = success ? ExecutionStatus.SUCCEEDED
                        : nextAttemptAt != null ? ExecutionStatus.RETRY_SCHEDULED : ExecutionStatus.FAILED;
                executions.insertAttempt(tx, run.executionId(), run.attemptNumber(), result);
                if (!executions.finish(tx, run.executionId(), run.attemptNumber(), status, nextAttemptAt, now)) {
                    continue;
                }
                if (run.job().type() == JobType.ONCE && run.trigger() != RunTrigger.MANUAL) {
                    jobs.settleOnce(tx, run.job().id(), switch (status) {
                        case SUCCEEDED -> OnceStatus.SUCCEEDED;
                        case RETRY_SCHEDULED -> OnceStatus.RETRYING;
                        default -> OnceStatus.FAILED;
                    }, now);
                }
            }
            return null;
        });
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
