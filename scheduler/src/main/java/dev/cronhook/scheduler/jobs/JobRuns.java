package dev.cronhook.scheduler.jobs;

/**
 * What the run engine does when a job changes. This package says what a job is and when it runs; the engine in
 * {@code scheduler.runs} claims the runs, and reaches back here only through this interface, so the two packages
 * do not import each other.
 */
public interface JobRuns {
    /** A job was created, changed or resumed: a run due within the lookahead is claimed now. */
    void offer(String jobId);

    /**
     * A job was paused, changed or deleted: its claimed runs that have not started never will. Returns whether the
     * first scheduled run of a one-time job was among them (the job is then still to run, not running).
     */
    boolean takeBack(String jobId);
}
