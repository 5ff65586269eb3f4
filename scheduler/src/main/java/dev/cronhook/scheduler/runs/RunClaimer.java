package dev.cronhook.scheduler.runs;

import dev.cronhook.common.PrefixedIds;
import dev.cronhook.common.SecretTokens;
import dev.cronhook.common.db.DatabaseErrors;
import dev.cronhook.common.db.Transactions;
import dev.cronhook.scheduler.jobs.Completion;
import dev.cronhook.scheduler.jobs.Concurrency;
import dev.cronhook.scheduler.jobs.Jitter;
import dev.cronhook.scheduler.jobs.Job;
import dev.cronhook.scheduler.jobs.JobRepository;
import dev.cronhook.scheduler.jobs.JobType;
import dev.cronhook.scheduler.jobs.MissedSlots;
import dev.cronhook.scheduler.jobs.PlannedRuns;
import dev.cronhook.scheduler.jobs.OnceStatus;
import dev.cronhook.scheduler.jobs.Schedules;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbTransaction;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Claims runs in the database before they are sent, with one pick: every run that is due — a job's planned run, a
 * manual run, a retry, a run handed back by a node that stopped or died, a run missed by downtime — waits as an
 * executions row with its due time in {@code next_attempt_at}, and one locking read takes the due ones earliest first
 * (see {@link ExecutionRepository#lockDue}). A planned run becomes an execution and the job's planned run moves on to
 * its next run, in one transaction; the unique (job, slot time) key makes every slot claimed once on any number of
 * nodes. Any other run is taken over as it is, with the same execution and attempt number.
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

    private final HeldRuns held;
    private final RunEvents events;
    /** Where an attempt awaiting its callback goes once its pick took it to be ended: the recorder. */
    private final Consumer<ClaimedRun> awaitedEnds;

    public RunClaimer(DbClient db, JobRepository jobs, ExecutionRepository executions, Schedules schedules,
                      PrefixedIds ids, HeldRuns held, RunEvents events, Clock clock, SchedulerSettings settings,
                      Consumer<ClaimedRun> awaitedEnds) {
        this.awaitedEnds = awaitedEnds;
        this.db = db;
        this.events = events;
        this.held = held;
        this.jobs = jobs;
        this.executions = executions;
        this.schedules = schedules;
        this.ids = ids;
        this.clock = clock;
        this.settings = settings;
        this.missedBefore = clock.instant().minus(settings.catchUpAfter());
    }

    /** Claims every run due before now + lookahead, including every run missed while no node was up or reachable. */
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

    /**
     * Runs were handed back (a node died, or leases ran out): they are due when they were due, mostly before the
     * missed line, so the next pass looks behind it at once instead of within {@link #BACKLOG_LOOK_INTERVAL}.
     */
    void lookBehindNow() {
        nextBacklogLook = Instant.EPOCH;
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
                // A job's planned run may come due again within the horizon (every-second crons): claim in rounds.
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
                batch = claimed(inTransaction(tx -> claimBatch(tx, executions.lockDue(tx, from, horizon, now, limit), now,
                        missed)));
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

    /**
     * Records a manual run, due now, and picks in the same transaction: the run is this node's as it commits, before
     * another node could see it (unless more runs were due before it than a batch holds; the next pick takes it then).
     * Returns its execution id and what the pick claimed.
     */
    ManualRun claimManual(Job job) {
        String executionId = ids.next("exe");
        Instant now = clock.instant();
        Instant missed = missedBefore;
        List<ClaimedRun> claimed = claimed(inTransaction(tx -> {
            executions.insertManual(tx, executionId, job.id(), now);
            return claimBatch(tx, executions.lockDue(tx, missed, now.plus(settings.lookahead()), now,
                    settings.claimBatch()), now, missed);
        }));
        return new ManualRun(executionId, claimed);
    }

    record ManualRun(String executionId, List<ClaimedRun> claimed) {
    }

    /**
     * Claims what this transaction locked. A planned run becomes an execution (a catch-up when downtime missed it)
     * and its job moves on to the run after; any other run is taken as it is. A run this node still holds (its lease
     * ran out while it waited here) keeps its place here under a new lease and is not handed out twice. A statement
     * or two for the whole batch.
     */
    /**
     * What one claim transaction took: runs to send, attempts awaiting their callback to end, and whether it queued
     * notification events (missed runs reported).
     */
    private record Batch(List<ClaimedRun> runs, List<ClaimedRun> awaited, boolean reported) {
    }

    /** After the commit of a batch: its events go out now rather than at the outbox's next poll. */
    private List<ClaimedRun> claimed(Batch batch) {
        if (batch.reported()) {
            events.wake();
        }
        batch.awaited().forEach(awaitedEnds);
        return batch.runs();
    }

    private Batch claimBatch(DbTransaction tx, List<ExecutionRepository.Due> locked, Instant now, Instant missed) {
        List<JobRepository.Advance> advances = new ArrayList<>();
        List<ExecutionRepository.NewRun> runs = new ArrayList<>();
        List<ExecutionRepository.Take> takes = new ArrayList<>();
        List<ClaimedRun> claimed = new ArrayList<>(locked.size());
        List<RunEvents.Event> reports = new ArrayList<>();
        List<ClaimedRun> awaited = new ArrayList<>();
        List<CallbackRepository.Issued> callbackUrls = new ArrayList<>();
        Set<String> planned = new HashSet<>();
        for (ExecutionRepository.Due due : locked) {
            Job job = due.job();
            if (due.awaitingCallback()) {
                // Its callback came, or its deadline: the recorder ends the attempt that awaits it.
                takes.add(new ExecutionRepository.Take(due, lease(job, now, now)));
                awaited.add(new ClaimedRun(due.id(), job, due.trigger(), due.scheduledFor(), due.attemptCount(),
                        due.dueAt()));
                continue;
            }
            if (!due.planned()) {
                takes.add(new ExecutionRepository.Take(due, lease(job, due.dueAt(), now)));
                if (!held.holds(due.id())) {
                    claimed.add(withCallbackUrl(new ClaimedRun(due.id(), job, due.trigger(), due.scheduledFor(),
                            due.attemptCount() + 1, due.dueAt()), callbackUrls));
                }
                continue;
            }
            Instant scheduledFor = due.scheduledFor();
            // A planned run is sent at its slot plus the job's jitter, kept as its due time; a catch-up at once.
            Instant fireAt = due.dueAt();
            // Missed or not by when it was to be sent: a slot before the line whose jitter puts it after is owed.
            boolean missedByDowntime = fireAt.isBefore(missed);
            List<Instant> slots = List.of(scheduledFor);
            RunTrigger trigger = missedByDowntime ? RunTrigger.CATCH_UP : RunTrigger.SCHEDULE;
            if (job.type() == JobType.ONCE) {
                advances.add(new JobRepository.Advance(job.id(), null, null, OnceStatus.RUNNING));
            } else if (due.trigger() == RunTrigger.CATCH_UP || missedByDowntime) {
                trigger = RunTrigger.CATCH_UP;
                slots = catchUp(tx, due, now, advances, reports);
                fireAt = null;
            } else {
                // A run that is only late (claiming fell behind) is followed by the next one of its schedule, also owed.
                advances.add(advance(job, schedules.nextRun(job.definition(), scheduledFor)));
            }
            for (Instant slot : slots) {
                String executionId = ids.next("exe");
                Instant sendAt = fireAt == null ? slot : fireAt;
                runs.add(new ExecutionRepository.NewRun(executionId, job.id(), trigger, slot, sendAt,
                        lease(job, sendAt, now)));
                planned.add(executionId);
                claimed.add(withCallbackUrl(new ClaimedRun(executionId, job, trigger, slot, 1, sendAt), callbackUrls));
            }
        }
        jobs.advance(tx, advances, now);
        executions.take(tx, takes, now);
        Set<String> recorded = executions.insertRunning(tx, runs, now);
        if (!reports.isEmpty()) {
            events.queue(tx, reports);
        }
        executions.callbacks().insert(tx, callbackUrls.stream().filter(url -> !planned.contains(url.executionId())
                || recorded.contains(url.executionId())).toList(), now);
        return new Batch(recorded.size() == runs.size() ? claimed : claimed.stream()
                .filter(run -> !planned.contains(run.executionId()) || recorded.contains(run.executionId()))
                .toList(), awaited, !reports.isEmpty());
    }

    /**
     * A run of a job that completes by callback gets a callback URL of its own, recorded in the claim's transaction:
     * a callback may come before the node that sends it records anything more. One URL per attempt (a run taken over
     * is sent again with a new one; either ends the attempt).
     */
    private ClaimedRun withCallbackUrl(ClaimedRun run, List<CallbackRepository.Issued> issued) {
        if (run.job().definition().completion() != Completion.CALLBACK || settings.publicUrl() == null) {
            return run;
        }
        String token = SecretTokens.generate(CallbackService.TOKEN_PREFIX);
        issued.add(new CallbackRepository.Issued(SecretTokens.hash(token), run.executionId(), run.attemptNumber()));
        return new ClaimedRun(run.executionId(), run.job(), run.trigger(), run.scheduledFor(), run.attemptNumber(),
                run.dueAt(), callbackUrl(settings.publicUrl(), token));
    }

    /** {@code <public URL>/callbacks/<token>}, whether or not the public URL ends with a slash. */
    static String callbackUrl(java.net.URI publicUrl, String token) {
        String base = publicUrl.toString();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/callbacks/" + token;
    }

    /**
     * The missed slots a cron job runs now, oldest first, by its {@code catch_up} policy. {@code due} is the job's
     * planned run, missed by downtime: the job moves on to its schedule from now and what it does not run is
     * reported. A {@code forbid} job runs its missed slots one after another instead of at once: the first now, and
     * a second planned run walks the others, each claimed when the catch-up run before it ends; {@code due} may be
     * that walk's next step.
     */
    private List<Instant> catchUp(DbTransaction tx, ExecutionRepository.Due due, Instant now,
                                  List<JobRepository.Advance> advances, List<RunEvents.Event> reports) {
        Job job = due.job();
        if (due.trigger() == RunTrigger.CATCH_UP) {
            walkOn(tx, job, due.scheduledFor(), due.catchUpLast(), now);
            return List.of(due.scheduledFor());
        }
        MissedSlots missed = schedules.missed(job.definition(), due.scheduledFor(), now);
        if (missed.notRun() > 0) {
            jobs.addMissedRuns(tx, job.id(), missed.notRun());
            reports.add(new RunEvents.Missed(job, missed.notRun(), missed.firstNotRun(), missed.lastNotRun(), now));
        }
        advances.add(advance(job, schedules.nextRun(job.definition(), now)));
        List<Instant> slots = missed.run();
        if (job.definition().concurrency() == Concurrency.FORBID && slots.size() > 1) {
            walkOn(tx, job, slots.getFirst(), slots.getLast(), now);
            return List.of(slots.getFirst());
        }
        return slots;
    }

    /** The catch-up a {@code forbid} job walks goes on from {@code slot}, claimed now, up to {@code last}. */
    private void walkOn(DbTransaction tx, Job job, Instant slot, Instant last, Instant now) {
        Instant next = schedules.nextRun(job.definition(), slot);
        if (next != null && !next.isAfter(last)) {
            // Due when the run claimed now can have ended at the latest; its end makes it due sooner.
            PlannedRuns.walk(tx, job.id(), next, lease(job, now, now), last, now);
        } else {
            PlannedRuns.endCatchUps(tx, List.of(job.id()));
        }
    }

    /** A cron job moves on to its run {@code next} (null: none), sent with its jitter. */
    private static JobRepository.Advance advance(Job job, Instant next) {
        return new JobRepository.Advance(job.id(), next, Jitter.fireAt(job.id(), next, job.definition().jitterSeconds()),
                null);
    }

    private Instant lease(Job job, Instant sendAt, Instant now) {
        Instant start = sendAt.isAfter(now) ? sendAt : now;
        return start.plusSeconds(job.definition().timeoutSeconds()).plus(settings.leaseGrace());
    }

    private <T> T inTransaction(Function<DbTransaction, T> work) {
        return Transactions.inTransaction(db, work);
    }
}
