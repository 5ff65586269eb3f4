package dev.cronhook.scheduler;

import dev.cronhook.delivery.AttemptResult;
import dev.cronhook.delivery.Outcome;
import dev.cronhook.delivery.db.AttemptLog;
import dev.cronhook.delivery.db.Transactions;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Stores attempt outcomes and the notification events of attempts. What arrives together is written in one
 * transaction (group commit): a commit costs a disk flush, so one per attempt would bound throughput by the disk.
 * A retry is stored in the same transaction as the failed attempt that calls for it, and each event in the same
 * transaction as what it reports, so neither is lost by a restart.
 */
final class OutcomeRecorder implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(OutcomeRecorder.class.getName());
    /**
     * Items per transaction: a started and a finished item per attempt. Large enough that a writer which fell behind
     * in a burst (its transactions slow, sharing the CPU with the sends) catches up in a few commits: at 500 it fell
     * thousands of outcomes behind, and a 10,000-run burst was recorded 0.3 s after its last request.
     */
    private static final int MAX_BATCH = 2000;

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
    private final Consumer<StoredBatch> stored;
    private final LinkedBlockingQueue<Item> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closing;

    OutcomeRecorder(DbClient db, ExecutionRepository executions, JobRepository jobs, JobNotifications notifications,
                    Clock clock, RetryPolicy retries) {
        this(db, executions, jobs, notifications, clock, retries, batch -> { });
    }

    /**
     * What a committed batch stored: the executions whose attempt ended (recorded, or dropped with their deleted job),
     * and when the retries it scheduled are due.
     */
    /** {@code ended}: the status each recorded attempt left its execution in, as stored (not attempts recorded first elsewhere). */
    record StoredBatch(List<String> executionIds, List<Instant> retriesDue, List<ExecutionStatus> ended) {
    }

    /** {@code stored}: told what each batch stored, after its commit. */
    OutcomeRecorder(DbClient db, ExecutionRepository executions, JobRepository jobs, JobNotifications notifications,
                    Clock clock, RetryPolicy retries, Consumer<StoredBatch> stored) {
        this.db = db;
        this.executions = executions;
        this.jobs = jobs;
        this.notifications = notifications;
        this.clock = clock;
        this.retries = retries;
        this.stored = stored;
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
                Written written = write(batch);
                if (written.queued() > 0) {
                    notifications.wake();
                }
                logAttempts(batch);
                stored.accept(new StoredBatch(
                        batch.stream().filter(Finished.class::isInstance).map(item -> item.run().executionId()).toList(),
                        written.recorded().stream().map(FinishedAttempt::nextAttemptAt).filter(Objects::nonNull)
                                .toList(),
                        written.recorded().stream().map(FinishedAttempt::status).toList()));
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

    /** One line per attempt, as the contract asks: written here, by the one writer thread, once it is stored. */
    private static void logAttempts(List<Item> batch) {
        if (!LOG.isLoggable(Level.INFO)) {
            return;
        }
        for (Item item : batch) {
            if (item instanceof Finished(ClaimedRun run, AttemptResult result)) {
                LOG.log(Level.INFO, "attempt job=" + run.job().id() + " execution=" + run.executionId() + " attempt="
                        + run.attemptNumber() + " outcome=" + result.outcome().wireName() + " status="
                        + (result.statusCode() == null ? "-" : result.statusCode()) + " duration_ms="
                        + result.durationMillis() + " queued_ms=" + result.queuedMillis());
            }
        }
    }

    /** What a batch's transaction stored: how many notification deliveries it queued, and the attempts recorded. */
    record Written(int queued, List<FinishedAttempt> recorded) {
    }

    /**
     * Writes the batch in one transaction, a few statements for all of it. The writer thread calls it with what it
     * drained from the queue; tests call it with a batch of their own.
     */
    Written write(List<Item> batch) {
        Instant now = clock.instant();
        try {
            return Transactions.inTransaction(db, tx -> write(tx, batch, now, false));
        } catch (RecordedElsewhere e) {
            // A node that took one of these runs over recorded its attempt first. Rolled back; now one by one, so
            // that only the attempts still this node's are recorded and announced.
            return Transactions.inTransaction(db, tx -> write(tx, batch, now, true));
        }
    }

    private static final class RecordedElsewhere extends RuntimeException {
        RecordedElsewhere() {
            super(null, null, false, false);
        }
    }

    private Written write(DbExecute tx, List<Item> batch, Instant now, boolean oneByOne) {
        List<Webhook> subscribers = notifications.subscribers(tx);
        Set<String> existing = executions.existing(tx, batch.stream()
                .filter(item -> item instanceof Finished).map(item -> item.run().executionId()).toList());
        Map<Item, FinishedAttempt> decided = new IdentityHashMap<>();
        for (Item item : batch) {
            if (item instanceof Finished finished) {
                if (existing.contains(finished.run().executionId())) {
                    decided.put(item, decide(finished));
                } else {
                    // Its job was deleted while the request was in flight: nothing left to record it on. Writing it
                    // anyway would fail this batch on the foreign key for good and hold back every later outcome.
                    LOG.log(Level.INFO, "execution {0} was deleted with its job; its outcome is dropped",
                            finished.run().executionId());
                }
            }
        }
        List<FinishedAttempt> attempts = batch.stream().map(decided::get).filter(Objects::nonNull).toList();
        List<FinishedAttempt> recorded;
        if (!oneByOne) {
            if (!record(tx, attempts, now)) {
                throw new RecordedElsewhere();
            }
            recorded = attempts;
        } else {
            recorded = attempts.stream().filter(attempt -> record(tx, List.of(attempt), now)).toList();
        }
        Set<String> recoveries = notifications.recoveries(tx, subscribers, recorded);
        Set<FinishedAttempt> announced = Collections.newSetFromMap(new IdentityHashMap<>());
        announced.addAll(recorded);
        int queued = 0;
        for (Item item : batch) {
            FinishedAttempt attempt = decided.get(item);
            if (item instanceof Started started) {
                queued += notifications.started(tx, subscribers, started.run(), started.at());
            } else if (attempt != null && announced.contains(attempt)) {
                queued += notifications.finished(tx, subscribers, attempt,
                        recoveries.contains(attempt.run().executionId()));
            }
        }
        return new Written(queued, recorded);
    }

    private FinishedAttempt decide(Finished finished) {
        ClaimedRun run = finished.run();
        AttemptResult result = finished.result();
        // Cron jobs never retry: their next scheduled run is the next chance.
        Instant nextAttemptAt = run.job().type() == JobType.ONCE
                ? retries.nextAttemptAt(run.attemptNumber(), result) : null;
        ExecutionStatus status = result.outcome() == Outcome.SUCCESS ? ExecutionStatus.SUCCEEDED
                : nextAttemptAt != null ? ExecutionStatus.RETRY_SCHEDULED : ExecutionStatus.FAILED;
        return new FinishedAttempt(run, result, status, nextAttemptAt);
    }

    /**
     * Stores the attempts, their executions' new status and their one-time jobs' status; false, with the attempts
     * possibly half written, when one was recorded first by a node that took its run over.
     */
    private boolean record(DbExecute tx, List<FinishedAttempt> attempts, Instant now) {
        executions.insertAttempts(tx, attempts.stream()
                .map(a -> new AttemptLog.Entry(a.run().executionId(), a.run().attemptNumber(), a.result())).toList());
        if (!executions.finishAll(tx, attempts.stream().map(a -> new ExecutionRepository.Finish(a.run().executionId(),
                a.run().attemptNumber(), a.status(), a.nextAttemptAt())).toList(), now)) {
            return false;
        }
        Map<OnceStatus, List<String>> settled = new EnumMap<>(OnceStatus.class);
        for (FinishedAttempt attempt : attempts) {
            if (attempt.run().job().type() == JobType.ONCE && attempt.run().trigger() != RunTrigger.MANUAL) {
                settled.computeIfAbsent(switch (attempt.status()) {
                    case SUCCEEDED -> OnceStatus.SUCCEEDED;
                    case RETRY_SCHEDULED -> OnceStatus.RETRYING;
                    default -> OnceStatus.FAILED;
                }, k -> new ArrayList<>()).add(attempt.run().job().id());
            }
        }
        settled.forEach((status, jobIds) -> jobs.settleOnce(tx, jobIds, status, now));
        return true;
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
