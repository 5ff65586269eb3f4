package dev.cronhook.scheduler.runs;

import dev.cronhook.common.db.Transactions;
import dev.cronhook.scheduler.jobs.Job;
import dev.cronhook.scheduler.jobs.JobRepository;
import dev.cronhook.scheduler.jobs.JobType;
import io.helidon.dbclient.DbClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code concurrency: forbid} (PRODUCT.md section 10), decided when a run's moment comes rather than when it is
 * claimed: runs are claimed ahead, so a claim-time decision would make an every-second job skip itself. The decision
 * locks the job's row, so that nodes deciding about one job at once take turns, and lets a run through only when the
 * execution it let through last is no longer in flight; that execution's id is kept on the job.
 */
public final class OverlapGuard {
    public static final String OVERLAP = "overlap";
    /**
     * How long a run that is never skipped waits before it looks again while another run of its job is in flight: a
     * one-time job's own run (its only run) and a catch-up run (what downtime missed, run one after another).
     */
    static final Duration WAIT = Duration.ofSeconds(1);

    /** What becomes of a run whose moment came. */
    public enum Decision {
        /** Send it: nothing of its job is in flight, and it now is. */
        SEND,
        /** Recorded as skipped, never sent. */
        SKIPPED,
        /**
         * A one-time job's own run, or a catch-up run: it stays claimed by its node and looks again after
         * {@link #WAIT}. Nothing is written: handing it back to the database and claiming it again raced with the
         * node still holding it.
         */
        WAIT,
        /** Taken back or deleted meanwhile: nothing to do. */
        GONE
    }

    private final DbClient db;
    private final JobRepository jobs;
    private final ExecutionRepository executions;
    private final RunEvents events;
    private final SchedulerMetrics metrics;
    private final Clock clock;

    public OverlapGuard(DbClient db, JobRepository jobs, ExecutionRepository executions, RunEvents events,
                        SchedulerMetrics metrics, Clock clock) {
        this.metrics = metrics;
        this.db = db;
        this.jobs = jobs;
        this.executions = executions;
        this.events = events;
        this.clock = clock;
    }

    /** Whether an execution in this state holds off a {@code forbid} job's other runs. */
    static boolean inFlight(ExecutionStatus status) {
        return status == ExecutionStatus.RUNNING || status == ExecutionStatus.RETRY_SCHEDULED
                || status == ExecutionStatus.AWAITING_CALLBACK;
    }

    /**
     * The rule: {@code run} (a first attempt) goes unless another execution of its job is in flight; when one is, a
     * one-time job's own run and a catch-up run wait (a catch-up runs what downtime missed, one after another) and
     * any other run is skipped. {@code inFlightStatus}: the state of the execution
     * the job let through last, empty when there is none or it is gone.
     */
    static Decision decide(ClaimedRun run, String inFlightId, Optional<ExecutionStatus> inFlightStatus) {
        boolean blocked = inFlightId != null && !inFlightId.equals(run.executionId())
                && inFlightStatus.filter(OverlapGuard::inFlight).isPresent();
        if (!blocked) {
            return Decision.SEND;
        }
        boolean owed = run.job().type() == JobType.ONCE && run.trigger() != RunTrigger.MANUAL
                || run.trigger() == RunTrigger.CATCH_UP;
        return owed ? Decision.WAIT : Decision.SKIPPED;
    }

    /** Decides about a claimed first attempt of a {@code forbid} job whose moment came, in one transaction. */
    Decision admit(ClaimedRun run) {
        Instant now = clock.instant();
        Decision decision = Transactions.inTransaction(db, tx -> {
            Optional<JobRepository.InFlight> locked = jobs.lockInFlight(tx, run.job().id());
            if (locked.isEmpty()) {
                return Decision.GONE;
            }
            String inFlightId = locked.get().executionId();
            Decision decided = decide(run, inFlightId, inFlightId == null ? Optional.empty()
                    : executions.status(tx, inFlightId));
            return switch (decided) {
                case SEND -> {
                    jobs.setInFlight(tx, run.job().id(), run.executionId());
                    yield Decision.SEND;
                }
                case SKIPPED -> {
                    if (!executions.skip(tx, run.executionId(), OVERLAP, now)) {
                        yield Decision.GONE;
                    }
                    events.queue(tx, List.of(new RunEvents.Skipped(run, now)));
                    yield Decision.SKIPPED;
                }
                case WAIT -> Decision.WAIT;
                case GONE -> Decision.GONE;
            };
        });
        if (decision == Decision.SKIPPED) {
            metrics.executionSkipped();
            events.wake();
        }
        return decision;
    }

    /** Whether {@code job} has an execution in flight now: a manual run of a {@code forbid} job is refused then. */
    boolean busy(Job job) {
        return executions.inFlightStatus(job.id()).filter(OverlapGuard::inFlight).isPresent();
    }
}
