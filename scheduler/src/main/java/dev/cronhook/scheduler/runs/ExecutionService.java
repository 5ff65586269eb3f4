package dev.cronhook.scheduler.runs;

import dev.cronhook.common.DomainException;
import dev.cronhook.common.Page;
import dev.cronhook.scheduler.jobs.Concurrency;
import dev.cronhook.scheduler.jobs.Job;
import dev.cronhook.scheduler.jobs.JobService;

/** What the API can do with executions: list and read them, and run a job now. */
public final class ExecutionService {
    private final JobService jobs;
    private final ExecutionRepository executions;
    private final SchedulerEngine engine;
    private final OverlapGuard overlaps;

    public ExecutionService(JobService jobs, ExecutionRepository executions, SchedulerEngine engine,
                            OverlapGuard overlaps) {
        this.jobs = jobs;
        this.executions = executions;
        this.engine = engine;
        this.overlaps = overlaps;
    }

    /** A job's executions, newest first; an unknown job is not found. */
    public Page<Execution> ofJob(String jobId, ExecutionStatus status, String cursor, int limit) {
        jobs.get(jobId);
        return list(jobId, status, cursor, limit);
    }

    /** Executions of any job, optionally filtered; an unknown job id simply matches nothing. */
    public Page<Execution> list(String jobId, ExecutionStatus status, String cursor, int limit) {
        return Page.of(executions.list(jobId, status, cursor, limit + 1), limit, Execution::id);
    }

    /** The newest execution of each job of {@code jobIds} that has had one, by job id (jobs lists show it). */
    public java.util.Map<String, Execution> latestOf(java.util.List<String> jobIds) {
        java.util.Map<String, Execution> latest = new java.util.HashMap<>();
        for (Execution execution : executions.latestOf(jobIds)) {
            latest.put(execution.jobId(), execution);
        }
        return latest;
    }

    public Execution get(String id) {
        return executions.find(id).orElseThrow(() -> new DomainException.NotFound("no execution " + id));
    }

    /**
     * Runs the job now, whatever its schedule or state; the run is an execution with trigger "manual". A
     * {@code forbid} job with an execution in flight refuses (and a run that gets past this check while another
     * starts is still skipped when its moment comes).
     */
    public Execution trigger(String jobId) {
        Job job = jobs.get(jobId);
        if (job.definition().concurrency() == Concurrency.FORBID && overlaps.busy(job)) {
            throw new DomainException.Conflict("job " + jobId + " forbids overlapping runs and has an execution in "
                    + "flight");
        }
        return get(engine.triggerNow(job));
    }
}
