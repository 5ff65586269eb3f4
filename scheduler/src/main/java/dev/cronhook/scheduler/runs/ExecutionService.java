package dev.cronhook.scheduler.runs;

import dev.cronhook.common.DomainException;
import dev.cronhook.common.Page;
import dev.cronhook.scheduler.jobs.JobService;

/** What the API can do with executions: list and read them, and run a job now. */
public final class ExecutionService {
    private final JobService jobs;
    private final ExecutionRepository executions;
    private final SchedulerEngine engine;

    public ExecutionService(JobService jobs, ExecutionRepository executions, SchedulerEngine engine) {
        this.jobs = jobs;
        this.executions = executions;
        this.engine = engine;
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

    public Execution get(String id) {
        return executions.find(id).orElseThrow(() -> new DomainException.NotFound("no execution " + id));
    }

    /** Runs the job now, whatever its schedule or state; the run is an execution with trigger "manual". */
    public Execution trigger(String jobId) {
        return get(engine.triggerNow(jobs.get(jobId)));
    }
}
