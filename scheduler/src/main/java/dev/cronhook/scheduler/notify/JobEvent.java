package dev.cronhook.scheduler.notify;

/** The notification event types of jobs and their executions (PRODUCT.md sections 6 and 10). */
public final class JobEvent {
    public static final String STARTED = "job.execution.started";
    public static final String SUCCEEDED = "job.execution.succeeded";
    public static final String FAILED = "job.execution.failed";
    /** A run of a {@code forbid} job skipped because another was in flight (PRODUCT.md section 10). */
    public static final String SKIPPED = "job.execution.skipped";
    /** A cron job paused itself after failed executions in a row (PRODUCT.md section 10). */
    public static final String PAUSED = "job.paused";
    /** A cron job missed slots while no node could run it and did not run them (PRODUCT.md section 10). */
    public static final String MISSED = "job.runs.missed";
    public static final String PING = "webhook.ping";

    private JobEvent() {
    }
}
