package dev.cronhook.scheduler.runs;

import dev.cronhook.common.PrefixedIds;
import dev.cronhook.common.db.DatabaseErrors;
import dev.cronhook.common.db.Transactions;
import dev.cronhook.scheduler.jobs.Job;
import dev.cronhook.scheduler.jobs.JobRepository;
import dev.cronhook.scheduler.jobs.JobType;
import dev.cronhook.scheduler.jobs.OnceStatus;
import dev.cronhook.scheduler.jobs.Schedules;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbTransaction;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Claims runs in the database before they are sent. A claim moves the job past the run and inserts the execution
 * in one transaction, conditional on the job's row version, so every (job, scheduled time) is claimed once on any
 * number of nodes.
 */
public final class RunClaimer {
    private static final System.Logger LOG = System.getLogger(RunClaimer.class.getName());
    private static final int MAX_ROUNDS = 100;
    private static final Duration BACKLOG_LOOK_INTERVAL = Duration.ofSeconds(5);
    /** Transactions that claim a large pass at once. */
    private static final int WORKERS = 2;

    private final DbClient db;
    private final JobRepository jobs;
    private final ExecutionRepository executions;
    private final Schedules schedules;
    private final PrefixedIds ids;
    private final Clock clock;
    private final SchedulerSettings settings;
    /**
     * Runs scheduled before this instant that are still unclaimed were missed by downtime (no node claiming, or the
     * database unreachable): they are catch-ups, and a cron job fires once for all it missed. A run after it that is
     * late was missed because claiming fell behind under load, and is owed like any other: under load nothing is
     * skipped. It starts where this node started and moves up with every claim pass that got through.
     */
    private volatile Instant missedBefore;
    /**
     * When to look for runs missed by downtime again. A backlog appears at start or after the database was away, and
     * rarely otherwise (a job locked by an API change while the line moved past it): looking on every tick would
     * double an idle tick's statements.
     */
    private volatile Instant nextBacklogLook = Instant.EPOCH;
    /**
     * The last pass (or another statement of the tick) could not reach the database. The next pass first asks whether
     * it is back, and only then draws the missed line: a pass that waited out the outage for a connection must not
     * count the seconds it waited as on time.
     */
    private volatile boolean databaseAway;
    /** The last pass claimed as much of a backlog as its budget allowed: more of it waits. */
    private volatile boolean backlogWaiting;

    public RunClaimer(DbClient db, JobRepository jobs, ExecutionRepository executions, Schedules schedules, PrefixedIds ids,
               Clock clock, SchedulerSettings settings) {
        this.db = db;
        this.jobs = jobs;
        this.executions = executions;
        this.schedules = schedules;
        this.ids = ids;
        this.clock = clock;
        this.settings = settings;
        this.missedBefore = clock.instant().minus(settings.catchUpAfter());
    }

    /** Claims every run due before now + lookahead, including every run missed while no node was up. */
    List<ClaimedRun> claimDue() {
        return claimDue(Integer.MAX_VALUE);
    }

    List<ClaimedRun> claimDue(int backlogBudget) {
        return claimDue(backlogBudget, run -> { });
    }

    /**
     * Claims every run due before now + lookahead that was not missed by downtime — on time, or late because claiming
     * fell behind — then at most {@code backlogBudget} runs missed by downtime. Owed runs come first so that a
     * backlog never delays them; the budget lets a backlog drain at the pace the node can send instead of all at
     * once. Each batch's runs go to {@code claimedNow} as soon as its transaction commits: a burst of thousands of
     * runs starts sending while later batches are still being claimed.
     */
    List<ClaimedRun> claimDue(int backlogBudget, Consumer<ClaimedRun> claimedNow) {
        if (databaseAway) {
            try {
                db.execute().createGet("SELECT 1 AS one").execute();
            } catch (RuntimeException e) {
                databaseFailed();
                throw e;
            }
            databaseAway = false;
            moveMissedLine(clock.instant());
        }
        Instant now = clock.instant();
        Instant missed = missedBefore;
        List<ClaimedRun> claimed = new ArrayList<>();
        Pass pass;
        try {
            pass = claimRounds(claimed, claimedNow, missed, now.plus(settings.lookahead()), now, missed,
                    Integer.MAX_VALUE);
        } catch (RuntimeException e) {
            if (DatabaseErrors.unreachable(e)) {
                databaseFailed();
            } else {
                moveMissedLine(now);
                nextBacklogLook = Instant.EPOCH;
            }
            throw e;
        }
        if (pass != Pass.ROUND_LIMIT) {
            // Nothing owed is left behind a pass that got through, and what falls due while the database cannot be
            // reached is missed as by downtime; only a pass cut short by its round limit keeps the line where it is.
            moveMissedLine(now);
        }
        if (pass == Pass.FAILED) {
            databaseFailed();
        } else if (!now.isBefore(nextBacklogLook)) {
            int before = claimed.size();
            claimRounds(claimed, claimedNow, Instant.EPOCH, missed, now, missed, backlogBudget);
            // A backlog cut short by the budget goes on at the next call; else a look now and then is enough.
            backlogWaiting = claimed.size() - before >= backlogBudget;
            nextBacklogLook = backlogWaiting ? Instant.EPOCH : now.plus(BACKLOG_LOOK_INTERVAL);
        }
        return claimed;
    }

    /** More of a backlog waits than the last pass's budget let it claim: the caller may come back before its next tick. */
    boolean backlogWaiting() {
        return backlogWaiting && !databaseAway;
    }

    /**
     * The database could not be reached (by a claim, or by anything else the tick does): what falls due until it
     * answers again is missed as by downtime, so a cron job catches up once instead of replaying every slot.
     */
    void databaseFailed() {
        databaseAway = true;
        backlogWaiting = false;
        moveMissedLine(clock.instant());
        nextBacklogLook = Instant.EPOCH;
    }

    private void moveMissedLine(Instant now) {
        Instant line = now.minus(settings.catchUpAfter());
        if (line.isAfter(missedBefore)) {
            missedBefore = line;
        }
    }

    private enum Pass { DONE, ROUND_LIMIT, FAILED }

    /**
     * Adds the runs due in [{@code from}, {@code horizon}) to {@code claimed}, at most {@code budget} of them. When
     * more than a batch is due and there is no budget to keep exactly, the rest is claimed by {@link #WORKERS}
     * transactions at once (on PostgreSQL): a batch spends most of its time waiting on the database, and the locking read hands each
     * transaction jobs of its own.
     */
    private Pass claimRounds(List<ClaimedRun> claimed, Consumer<ClaimedRun> claimedNow, Instant from,
                             Instant horizon, Instant now, Instant missed, int budget) {
        Rounds rounds = new Rounds(claimed, claimedNow, from, horizon, now, missed, budget);
        // On PostgreSQL only: the embedded database is one node's, and its row locks are not worth relying on here.
        int workers = settings.postgres() ? WORKERS : 1;
        boolean more = rounds.claimNext();
        if (more && rounds.taken.get() == settings.claimBatch() && budget == Integer.MAX_VALUE && workers > 1) {
            try (ExecutorService helpers = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int worker = 1; worker < workers; worker++) {
                    helpers.execute(rounds::claimAll);
                }
                rounds.claimAll();
            }
        } else if (more) {
            rounds.claimAll();
        }
        return rounds.outcome();
    }

    /** The state of one claim pass, shared by the transactions that claim its batches. */
    private final class Rounds {
        private final List<ClaimedRun> claimed;
        private final Consumer<ClaimedRun> claimedNow;
        private final Instant from;
        private final Instant horizon;
        private final Instant now;
        private final Instant missed;
        private final int budget;
        private final AtomicInteger round = new AtomicInteger();
        private final AtomicInteger taken = new AtomicInteger();
        private volatile boolean roundLimit;
        private volatile RuntimeException failure;

        Rounds(List<ClaimedRun> claimed, Consumer<ClaimedRun> claimedNow, Instant from, Instant horizon, Instant now,
               Instant missed, int budget) {
            this.claimed = claimed;
            this.claimedNow = claimedNow;
            this.from = from;
            this.horizon = horizon;
            this.now = now;
            this.missed = missed;
            this.budget = budget;
        }

        void claimAll() {
            while (claimNext()) {
                // A job may have several runs within the horizon (every-second crons), so claim in rounds.
            }
        }

        /**
         * Claims one batch; false when this transaction found nothing more to claim (other transactions may still
         * hold due jobs locked, and go on), or the budget, the round limit or a failure ended the pass.
         */
        boolean claimNext() {
            if (failure != null) {
                return false;
            }
            if (round.getAndIncrement() >= MAX_ROUNDS) {
                roundLimit = true;
                return false;
            }
            int limit = Math.min(settings.claimBatch(), budget - taken.get());
            if (limit <= 0) {
                return false;
            }
            List<ClaimedRun> batch;
            try {
                batch = inTransaction(tx -> claimBatch(tx, jobs.lockDue(tx, from, horizon, limit), now, missed));
            } catch (RuntimeException e) {
                failure = e;
                return false;
            }
            synchronized (claimed) {
                claimed.addAll(batch);
            }
            // Committed: the runs go to the timer now, whatever happens to later batches.
            batch.forEach(claimedNow);
            taken.addAndGet(batch.size());
            return !batch.isEmpty();
        }

        Pass outcome() {
            if (failure != null) {
                if (claimed.isEmpty()) {
                    throw failure;
                }
                LOG.log(System.Logger.Level.WARNING, "claiming stopped after " + claimed.size() + " runs: "
                        + failure.getMessage());
                return Pass.FAILED;
            }
            return roundLimit ? Pass.ROUND_LIMIT : Pass.DONE;
        }
    }

    /** Claims this job's next run if it falls within the lookahead (a job just created, changed or resumed). */
    List<ClaimedRun> claimIfDue(String jobId) {
        List<ClaimedRun> claimed = new ArrayList<>();
        for (int round = 0; round < MAX_ROUNDS; round++) {
            Instant now = clock.instant();
            Instant horizon = now.plus(settings.lookahead());
            List<ClaimedRun> batch = inTransaction(tx ->
                    claimBatch(tx, jobs.lockIfDue(tx, jobId, horizon), now, missedBefore));
            if (batch.isEmpty()) {
                break;
            }
            claimed.addAll(batch);
        }
        return claimed;
    }

    /** Whether a claim of what is owed also takes over runs whose lease ended. */
    enum Leases { TAKE_OVER, LEAVE }

    /**
     * Claims the executions whose next attempt is owed, on whichever node comes first: retries of one-time jobs due
     * before now + the retry lookahead (stored with the failed attempt, so they survive restarts; a paused job's
     * retry waits for the resume), and runs whose lease ran out before their outcome was recorded (their node
     * stopped) — those are sent again with the same execution and attempt number, at once or at their due time if
     * that is still ahead, never earlier. Leaves alone the runs this node still holds ({@code heldHere}: their lease
     * is being renewed), and ended leases altogether with {@link Leases#LEAVE} (a node whose heartbeat lapsed must
     * not take over others' runs).
     */
    List<ClaimedRun> claimOwed(Leases leases, Predicate<String> heldHere) {
        Instant now = clock.instant();
        Instant horizon = now.plus(settings.retryLookahead());
        return inTransaction(tx -> {
            List<ExecutionRepository.Owed> owed = executions.lockOwed(tx, horizon,
                    leases == Leases.TAKE_OVER ? now : null, settings.claimBatch());
            Map<String, Job> byId = jobs.findAll(tx, owed.stream().map(ExecutionRepository.Owed::jobId).toList());
            List<ExecutionRepository.OwedClaim> claims = new ArrayList<>(owed.size());
            List<ClaimedRun> claimed = new ArrayList<>(owed.size());
            for (ExecutionRepository.Owed execution : owed) {
                Job job = byId.get(execution.jobId());
                if (job == null || heldHere.test(execution.id())) {
                    continue; // deleted since it was locked (its executions go with it), or still this node's
                }
                claims.add(new ExecutionRepository.OwedClaim(execution, lease(job, execution.dueAt(), now)));
                claimed.add(new ClaimedRun(execution.id(), job, execution.trigger(), execution.scheduledFor(),
                        execution.attemptCount() + 1, execution.dueAt()));
            }
            executions.claimOwed(tx, claims, now);
            return claimed;
        });
    }

    /** Records a manual run, due now. */
    ClaimedRun claimManual(Job job) {
        Instant now = clock.instant();
        String executionId = ids.next("exe");
        inTransaction(tx -> executions.insertRunning(tx, executionId, job.id(), RunTrigger.MANUAL, now,
                lease(job, now, now), now));
        return ClaimedRun.first(executionId, job, RunTrigger.MANUAL, now);
    }

    /**
     * Claims the next run of each job this transaction locked: the jobs move past their runs and the executions are
     * inserted, a statement or two for the whole batch.
     */
    private List<ClaimedRun> claimBatch(DbTransaction tx, List<JobRepository.StoredJob> locked, Instant now,
                                        Instant missed) {
        List<JobRepository.Advance> advances = new ArrayList<>(locked.size());
        List<ExecutionRepository.NewRun> runs = new ArrayList<>(locked.size());
        List<ClaimedRun> claimed = new ArrayList<>(locked.size());
        for (JobRepository.StoredJob stored : locked) {
            Job job = stored.job();
            Instant scheduledFor = job.nextRunAt();
            boolean missedByDowntime = scheduledFor.isBefore(missed);
            RunTrigger trigger = missedByDowntime ? RunTrigger.CATCH_UP : RunTrigger.SCHEDULE;
            if (job.type() == JobType.ONCE) {
                advances.add(new JobRepository.Advance(job.id(), null, OnceStatus.RUNNING));
            } else {
                // After downtime a cron job fires once for what it missed, then follows its schedule from now; a run
                // that is only late (claiming fell behind) is followed by the next one of its schedule, also owed.
                advances.add(new JobRepository.Advance(job.id(),
                        schedules.nextRun(job.definition(), missedByDowntime ? now : scheduledFor), null));
            }
            String executionId = ids.next("exe");
            runs.add(new ExecutionRepository.NewRun(executionId, job.id(), trigger, scheduledFor,
                    lease(job, scheduledFor, now)));
            claimed.add(ClaimedRun.first(executionId, job, trigger, scheduledFor));
        }
        jobs.advance(tx, advances, now);
        Set<String> recorded = executions.insertRunning(tx, runs, now);
        return recorded.size() == claimed.size() ? claimed
                : claimed.stream().filter(run -> recorded.contains(run.executionId())).toList();
    }

    private Instant lease(Job job, Instant scheduledFor, Instant now) {
        Instant start = scheduledFor.isAfter(now) ? scheduledFor : now;
        return start.plusSeconds(job.definition().timeoutSeconds()).plus(settings.leaseGrace());
    }

    private <T> T inTransaction(Function<DbTransaction, T> work) {
        return Transactions.inTransaction(db, work);
    }
}
