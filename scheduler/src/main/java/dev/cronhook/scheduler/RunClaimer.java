package dev.cronhook.scheduler;

import dev.cronhook.delivery.PrefixedIds;
import dev.cronhook.delivery.db.Transactions;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbTransaction;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Claims runs in the database before they are sent. A claim moves the job past the run and inserts the execution
 * in one transaction, conditional on the job's row version, so every (job, scheduled time) is claimed once on any
 * number of nodes.
 */
final class RunClaimer {
    private static final System.Logger LOG = System.getLogger(RunClaimer.class.getName());
    private static final int MAX_ROUNDS = 100;

    private final DbClient db;
    private final JobRepository jobs;
    private final ExecutionRepository executions;
    private final Schedules schedules;
    private final PrefixedIds ids;
    private final Clock clock;
    private final SchedulerSettings settings;

    RunClaimer(DbClient db, JobRepository jobs, ExecutionRepository executions, Schedules schedules, PrefixedIds ids,
               Clock clock, SchedulerSettings settings) {
        this.db = db;
        this.jobs = jobs;
        this.executions = executions;
        this.schedules = schedules;
        this.ids = ids;
        this.clock = clock;
        this.settings = settings;
    }

    /** Claims every run due before now + lookahead, including every run missed while no node was up. */
    List<ClaimedRun> claimDue() {
        return claimDue(Integer.MAX_VALUE);
    }

    /**
     * Claims every run due on time (from now − catch-up threshold to now + lookahead), then at most
     * {@code backlogBudget} runs that are later than that (missed while no node was up, or while this one was
     * overloaded). On-time runs come first so that a backlog never delays them; the budget lets a backlog drain at
     * the pace the node can send instead of all at once.
     */
    List<ClaimedRun> claimDue(int backlogBudget) {
        return claimDue(backlogBudget, run -> { });
    }

    /**
     * As {@link #claimDue(int)}, handing each batch's runs to {@code claimedNow} as soon as its transaction commits:
     * a burst of thousands of runs starts sending while later batches are still being claimed.
     */
    List<ClaimedRun> claimDue(int backlogBudget, Consumer<ClaimedRun> claimedNow) {
        Instant now = clock.instant();
        Instant late = now.minus(settings.catchUpAfter());
        List<ClaimedRun> claimed = new ArrayList<>();
        if (claimRounds(claimed, claimedNow, late, now.plus(settings.lookahead()), now, Integer.MAX_VALUE)) {
            claimRounds(claimed, claimedNow, Instant.EPOCH, late, now, backlogBudget);
        }
        return claimed;
    }

    /** Adds up to {@code budget} claimed runs to {@code claimed}; false when a failure stopped it. */
    private boolean claimRounds(List<ClaimedRun> claimed, Consumer<ClaimedRun> claimedNow, Instant from,
                                Instant horizon, Instant now, int budget) {
        int taken = 0;
        // A job may have several runs within the horizon (every-second crons), so claim in rounds.
        for (int round = 0; round < MAX_ROUNDS && taken < budget; round++) {
            int limit = Math.min(settings.claimBatch(), budget - taken);
            List<ClaimedRun> batch;
            try {
                batch = inTransaction(tx -> claimBatch(tx, jobs.due(tx, from, horizon, limit), now));
            } catch (RuntimeException e) {
                if (claimed.isEmpty()) {
                    throw e;
                }
                // Earlier rounds are committed: their runs must reach the timer now, not wait out their lease.
                LOG.log(System.Logger.Level.WARNING, "claiming stopped after " + claimed.size() + " runs: "
                        + e.getMessage());
                return false;
            }
            claimed.addAll(batch);
            batch.forEach(claimedNow);
            taken += batch.size();
            if (batch.isEmpty()) {
                break;
            }
        }
        return true;
    }

    /** Claims this job's next run if it falls within the lookahead (a job just created, changed or resumed). */
    List<ClaimedRun> claimIfDue(String jobId) {
        List<ClaimedRun> claimed = new ArrayList<>();
        for (int round = 0; round < MAX_ROUNDS; round++) {
            Instant now = clock.instant();
            Instant horizon = now.plus(settings.lookahead());
            List<JobRepository.StoredJob> due = jobs.find(jobId)
                    .filter(s -> s.job().definition().enabled())
                    .filter(s -> s.job().nextRunAt() != null && s.job().nextRunAt().isBefore(horizon))
                    .map(List::of)
                    .orElse(List.of());
            if (due.isEmpty()) {
                break;
            }
            claimed.addAll(inTransaction(tx -> claimBatch(tx, due, now)));
        }
        return claimed;
    }

    /** Takes over executions whose node stopped before recording an outcome. */
    List<ClaimedRun> claimAbandoned() {
        Instant now = clock.instant();
        return inTransaction(tx -> {
            List<ClaimedRun> claimed = new ArrayList<>();
            for (ExecutionRepository.Abandoned abandoned : executions.abandoned(tx, now, settings.claimBatch())) {
                var stored = jobs.find(abandoned.jobId());
                if (stored.isEmpty()) {
                    continue;
                }
                Job job = stored.get().job();
                Instant due = abandoned.dueAt() == null ? now : abandoned.dueAt();
                if (executions.renewLease(tx, abandoned, lease(job, due, now), now)) {
                    // Its attempt was cut off (or never started): it is owed, so it goes at once — or at its due time
                    // if that is still ahead (it was claimed early and its node stopped), never earlier.
                    claimed.add(new ClaimedRun(abandoned.id(), job, abandoned.trigger(), abandoned.scheduledFor(),
                            abandoned.attemptCount() + 1, due));
                }
            }
            return claimed;
        });
    }

    /**
     * Claims the retries of one-time jobs due before now + lookahead, on whichever node ticks first: the retry was
     * stored with the failed attempt, so it survives restarts. Retries of paused jobs wait for the resume.
     */
    List<ClaimedRun> claimRetries() {
        Instant now = clock.instant();
        Instant horizon = now.plus(settings.lookahead());
        return inTransaction(tx -> {
            List<ClaimedRun> claimed = new ArrayList<>();
            for (ExecutionRepository.DueRetry due : executions.dueRetries(tx, horizon, settings.claimBatch())) {
                var stored = jobs.find(due.jobId());
                if (stored.isEmpty() || !stored.get().job().definition().enabled()) {
                    continue;
                }
                Job job = stored.get().job();
                if (executions.claimRetry(tx, due, lease(job, due.dueAt(), now), now)) {
                    claimed.add(new ClaimedRun(due.id(), job, due.trigger(), due.scheduledFor(),
                            due.attemptCount() + 1, due.dueAt()));
                }
            }
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

    private List<ClaimedRun> claimBatch(DbTransaction tx, List<JobRepository.StoredJob> due, Instant now) {
        List<ClaimedRun> claimed = new ArrayList<>(due.size());
        for (JobRepository.StoredJob stored : due) {
            Job job = stored.job();
            Instant scheduledFor = job.nextRunAt();
            boolean late = scheduledFor.isBefore(now.minus(settings.catchUpAfter()));
            RunTrigger trigger = late ? RunTrigger.CATCH_UP : RunTrigger.SCHEDULE;
            Instant next;
            OnceStatus status;
            if (job.type() == JobType.ONCE) {
                next = null;
                status = OnceStatus.RUNNING;
            } else {
                // After downtime a cron job fires once for what it missed, then follows its schedule from now.
                next = schedules.nextRun(job.definition(), late ? now : scheduledFor);
                status = null;
            }
            if (!jobs.advance(tx, job.id(), stored.version(), next, status, now)) {
                continue;
            }
            String executionId = ids.next("exe");
            if (executions.insertRunning(tx, executionId, job.id(), trigger, scheduledFor,
                    lease(job, scheduledFor, now), now)) {
                claimed.add(ClaimedRun.first(executionId, job, trigger, scheduledFor));
            }
        }
        return claimed;
    }

    private Instant lease(Job job, Instant scheduledFor, Instant now) {
        Instant start = scheduledFor.isAfter(now) ? scheduledFor : now;
        return start.plusSeconds(job.definition().timeoutSeconds()).plus(settings.leaseGrace());
    }

    private <T> T inTransaction(Function<DbTransaction, T> work) {
        return Transactions.inTransaction(db, work);
    }
}
