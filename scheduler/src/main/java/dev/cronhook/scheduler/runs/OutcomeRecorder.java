package dev.cronhook.scheduler.runs;

import dev.cronhook.common.db.GroupCommit;
import dev.cronhook.common.db.Transactions;
import dev.cronhook.delivery.attempts.AttemptLog;
import dev.cronhook.delivery.attempts.AttemptResult;
import dev.cronhook.delivery.attempts.Outcome;
import dev.cronhook.delivery.attempts.StoredAttempt;
import dev.cronhook.scheduler.jobs.Concurrency;
import dev.cronhook.scheduler.jobs.JobRepository;
import dev.cronhook.scheduler.jobs.JobType;
import dev.cronhook.scheduler.jobs.OnceStatus;
import dev.cronhook.scheduler.jobs.PlannedRuns;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Stores attempt outcomes and the notification events of attempts. What arrives together is written in one
 * transaction ({@link GroupCommit}). A retry is stored in the same transaction as the failed attempt that calls for
 * it, and each event in the same transaction as what it reports, so neither is lost by a restart. While the database
 * is away, outcomes wait for it rather than be lost; an outcome the database refuses is given up on alone, and its run
 * is sent again once its lease runs out.
 */
public final class OutcomeRecorder implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(OutcomeRecorder.class.getName());
    /**
     * Items per transaction: a started and a finished item per attempt. Large enough that a writer which fell behind
     * in a burst (its transactions slow, sharing the CPU with the sends) catches up in a few commits: at 500 it fell
     * thousands of outcomes behind, and a 10,000-run burst was recorded 0.3 s after its last request.
     */
    private static final GroupCommit.Settings SETTINGS = new GroupCommit.Settings("cronhook-outcome-writer", 2000,
            Integer.MAX_VALUE, Duration.ofMillis(100), Duration.ofSeconds(30));

    /**
     * What the writer stores: an attempt that started (its event only), one that finished, or one awaiting its
     * callback that its callback (or its deadline) ends.
     */
    sealed interface Item permits Started, Finished, Awaited {
        ClaimedRun run();
    }

    record Started(ClaimedRun run, Instant at) implements Item {
    }

    record Finished(ClaimedRun run, AttemptResult result) implements Item {
    }

    /** {@code run}: attempt {@code attemptNumber}, awaiting its callback, taken by a pick to be ended. */
    record Awaited(ClaimedRun run) implements Item {
    }

    private final DbClient db;
    private final ExecutionRepository executions;
    private final JobRepository jobs;
    private final RunEvents events;
    private final Clock clock;
    private final RetryPolicy retries;
    private final Consumer<StoredBatch> stored;
    private final GroupCommit<Item, Void> commits;
    private final FailureStreaks streaks;

    public OutcomeRecorder(DbClient db, ExecutionRepository executions, JobRepository jobs, RunEvents events,
                    Clock clock, RetryPolicy retries) {
        this(db, executions, jobs, events, clock, retries, batch -> { });
    }

    /**
     * What a committed batch stored: the executions whose attempt ended here (recorded, dropped with their deleted job,
     * or given up on), the status each recorded attempt left its execution in (not attempts recorded first
     * elsewhere), the jobs it paused after failures in a row, and the jobs with a run it made due now: the next slot
     * of a catch-up, or an attempt whose callback came before its 2xx was recorded.
     */
    public record StoredBatch(List<String> executionIds, List<ExecutionStatus> ended, List<String> pausedJobIds,
                              List<String> dueNowJobIds) {
    }

    /** {@code stored}: told what each batch stored, after its commit. */
    public OutcomeRecorder(DbClient db, ExecutionRepository executions, JobRepository jobs, RunEvents events,
                    Clock clock, RetryPolicy retries, Consumer<StoredBatch> stored) {
        this.db = db;
        this.executions = executions;
        this.jobs = jobs;
        this.events = events;
        this.clock = clock;
        this.retries = retries;
        this.stored = stored;
        this.streaks = new FailureStreaks(jobs);
        this.commits = new GroupCommit<>(SETTINGS, this::writeAndAnnounce);
    }

    void started(ClaimedRun run, Instant at) {
        submit(new Started(run, at));
    }

    void record(ClaimedRun run, AttemptResult result) {
        submit(new Finished(run, result));
    }

    /** Ends an attempt awaiting its callback: as the callback said, or {@code callback_timeout} when none came. */
    public void endAwaited(ClaimedRun run) {
        submit(new Awaited(run));
    }

    int backlog() {
        return commits.backlog();
    }

    private void submit(Item item) {
        commits.submit(item).exceptionally(error -> {
            LOG.log(Level.ERROR, "not recorded: execution " + item.run().executionId() + " attempt "
                    + item.run().attemptNumber() + ": " + error.getMessage());
            if (item instanceof Finished) {
                // Given up on: the execution stays "running", its lease runs out and it is sent again.
                stored.accept(new StoredBatch(List.of(item.run().executionId()), List.of(), List.of(), List.of()));
            }
            return null;
        });
    }

    /** One batch: written in one transaction, then announced. */
    private List<Void> writeAndAnnounce(List<Item> batch) {
        Written written = write(batch);
        try {
            if (written.queued() > 0) {
                events.wake();
            }
            logAttempts(batch);
            stored.accept(new StoredBatch(
                    batch.stream().filter(Finished.class::isInstance).map(item -> item.run().executionId()).toList(),
                    written.recorded().stream().map(FinishedAttempt::status).toList(),
                    written.paused().stream().map(paused -> paused.job().id()).toList(),
                    written.dueNow()));
        } catch (RuntimeException e) {
            // Stored already: writing the batch again would record its attempts twice.
            LOG.log(Level.WARNING, "after recording " + batch.size() + " outcomes: " + e);
        }
        return Collections.nCopies(batch.size(), null);
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
                        + result.durationMillis() + " queued_ms=" + result.queuedMillis()
                        + (run.callbackUrl() != null && result.outcome() == Outcome.SUCCESS ? " awaiting_callback" : ""));
            }
        }
    }

    /**
     * What a batch's transaction stored: how many notification deliveries it queued, the attempts recorded, the
     * jobs paused after failures in a row, and the jobs with a run made due now (see {@link StoredBatch}).
     */
    record Written(int queued, List<FinishedAttempt> recorded, List<FailureStreaks.Paused> paused,
                   List<String> dueNow) {
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
        Set<String> existing = executions.existing(tx, batch.stream()
                .filter(item -> !(item instanceof Started)).map(item -> item.run().executionId()).toList());
        Map<Item, FinishedAttempt> decided = new IdentityHashMap<>();
        decided.putAll(decideAwaited(tx, batch.stream().filter(item -> item instanceof Awaited
                && existing.contains(item.run().executionId())).map(Awaited.class::cast).toList(), now));
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
        List<FinishedAttempt> ended = recorded.stream().filter(FinishedAttempt::ended).toList();
        List<String> caughtUp = ended.stream().map(FinishedAttempt::run).filter(OutcomeRecorder::walksCatchUp)
                .map(run -> run.job().id()).toList();
        if (!caughtUp.isEmpty()) {
            // A forbid job runs its missed slots one after another: the next one is due as this one ends.
            PlannedRuns.wake(tx, caughtUp, now);
        }
        List<String> dueNow = new ArrayList<>(caughtUp);
        dueNow.addAll(calledBack(tx, recorded, now));
        List<FailureStreaks.Paused> paused = streaks.count(tx, ended, now);
        Set<FinishedAttempt> announced = Collections.newSetFromMap(new IdentityHashMap<>());
        announced.addAll(ended);
        List<RunEvents.Event> happened = new ArrayList<>(batch.size());
        for (Item item : batch) {
            FinishedAttempt attempt = decided.get(item);
            if (item instanceof Started started) {
                happened.add(new RunEvents.Started(started.run(), started.at()));
            } else if (attempt != null && announced.contains(attempt)) {
                happened.add(new RunEvents.Ended(attempt));
            }
        }
        paused.forEach(job -> happened.add(new RunEvents.Paused(job.job(), job.reason())));
        int queued = events.queue(tx, happened);
        return new Written(queued, recorded, paused, dueNow.stream().distinct().toList());
    }

    /**
     * Attempts that start waiting for their callback here and whose callback came already (before the 2xx was
     * recorded): due now, for the next pick to end them. Their executions are locked by this transaction's update,
     * and a callback locks its execution before it is stored, so it is either seen here or sees the wait.
     */
    private List<String> calledBack(DbExecute tx, List<FinishedAttempt> recorded, Instant now) {
        Map<String, Integer> awaiting = new HashMap<>();
        Map<String, String> jobOf = new HashMap<>();
        for (FinishedAttempt attempt : recorded) {
            if (!attempt.ended()) {
                awaiting.put(attempt.run().executionId(), attempt.run().attemptNumber());
                jobOf.put(attempt.run().executionId(), attempt.run().job().id());
            }
        }
        if (awaiting.isEmpty()) {
            return List.of();
        }
        List<String> answered = List.copyOf(executions.callbacks().answersTo(tx, awaiting).keySet());
        executions.endAwaitingNow(tx, answered, now);
        return answered.stream().map(jobOf::get).toList();
    }

    /**
     * Ends attempts awaiting their callback: as the callback said ({@code succeeded}, or {@code callback_failed},
     * retried like a 5xx), or {@code callback_timeout} (retried like a timeout) when none came. Their executions are
     * locked first, as a callback locks its execution before it is stored: a callback either is seen here or finds
     * the attempt ended.
     */
    private Map<Item, FinishedAttempt> decideAwaited(DbExecute tx, List<Awaited> items, Instant now) {
        if (items.isEmpty()) {
            return Map.of();
        }
        List<String> ids = items.stream().map(item -> item.run().executionId()).toList();
        executions.lock(tx, ids);
        Map<String, Integer> attemptOf = new HashMap<>();
        items.forEach(item -> attemptOf.put(item.run().executionId(), item.run().attemptNumber()));
        Map<String, CallbackRepository.Answer> answers = executions.callbacks().answersTo(tx, attemptOf);
        Map<String, List<StoredAttempt>> stored = executions.attempts(tx, ids);
        Map<Item, FinishedAttempt> decided = new IdentityHashMap<>();
        for (Awaited item : items) {
            ClaimedRun run = item.run();
            StoredAttempt http = stored.getOrDefault(run.executionId(), List.of()).stream()
                    .filter(attempt -> attempt.number() == run.attemptNumber()
                            && Outcome.AWAITING_CALLBACK.wireName().equals(attempt.outcome()))
                    .findFirst().orElse(null);
            if (http == null) {
                // Ended meanwhile (another node's pick of it, handed back, was recorded first): nothing to end.
                continue;
            }
            CallbackRepository.Answer answer = answers.get(run.executionId());
            Outcome outcome = answer == null ? Outcome.CALLBACK_TIMEOUT
                    : answer.report().status() == CallbackReport.Status.SUCCEEDED ? Outcome.SUCCESS
                    : Outcome.CALLBACK_FAILED;
            String error = switch (outcome) {
                case CALLBACK_TIMEOUT -> "no callback within " + run.job().definition().callbackTimeoutSeconds()
                        + " s of the response";
                case CALLBACK_FAILED -> "the callback reported failed";
                default -> null;
            };
            // The attempt ends when its callback came, or now: a retry waits its delay from then.
            AttemptResult result = new AttemptResult(outcome, http.statusCode(), error, http.responseBody(), null,
                    http.startedAt(), answer == null ? now : answer.receivedAt(), http.queuedMs());
            FinishedAttempt ending = outcome(run, result);
            decided.put(item, new FinishedAttempt(run, result, ending.status(), ending.nextAttemptAt(), true));
        }
        return decided;
    }

    private FinishedAttempt decide(Finished finished) {
        ClaimedRun run = finished.run();
        AttemptResult result = finished.result();
        if (run.callbackUrl() != null && result.outcome() == Outcome.SUCCESS) {
            // Not over yet: it waits for its callback until its deadline, counted from the 2xx.
            AttemptResult awaiting = new AttemptResult(Outcome.AWAITING_CALLBACK, result.statusCode(), null,
                    result.responseBody(), null, result.startedAt(), result.finishedAt(), result.queuedMillis());
            return new FinishedAttempt(run, awaiting, ExecutionStatus.AWAITING_CALLBACK, result.finishedAt()
                    .plusSeconds(run.job().definition().callbackTimeoutSeconds()));
        }
        return outcome(run, result);
    }

    /** What an attempt's result decides: success, a retry (one-time jobs), or failure. */
    private FinishedAttempt outcome(ClaimedRun run, AttemptResult result) {
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
        executions.insertAttempts(tx, attempts.stream().filter(a -> !a.awaited())
                .map(a -> new AttemptLog.Entry(a.run().executionId(), a.run().attemptNumber(), a.result())).toList());
        executions.endAwaitedAttempts(tx, attempts.stream().filter(FinishedAttempt::awaited)
                .map(a -> new AttemptLog.Entry(a.run().executionId(), a.run().attemptNumber(), a.result())).toList());
        if (!executions.finishAll(tx, attempts.stream().map(a -> new ExecutionRepository.Finish(a.run().executionId(),
                a.run().attemptNumber(), a.status(), a.nextAttemptAt(), a.awaited())).toList(), now)) {
            return false;
        }
        Map<OnceStatus, List<String>> settled = new EnumMap<>(OnceStatus.class);
        for (FinishedAttempt attempt : attempts) {
            if (attempt.ended() && attempt.run().job().type() == JobType.ONCE
                    && attempt.run().trigger() != RunTrigger.MANUAL) {
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

    /** A catch-up run of a cron job that forbids overlap: its job's next missed slot waits for it to end. */
    private static boolean walksCatchUp(ClaimedRun run) {
        return run.trigger() == RunTrigger.CATCH_UP && run.job().type() == JobType.CRON
                && run.job().definition().concurrency() == Concurrency.FORBID;
    }

    /** Writes what is queued, then stops. */
    @Override
    public void close() {
        commits.close();
    }
}
