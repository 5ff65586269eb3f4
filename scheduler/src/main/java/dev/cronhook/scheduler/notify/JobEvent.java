package dev.cronhook.scheduler.notify;

/** The notification event types a job's executions emit (PRODUCT.md section 6). */
public final class JobEvent {
    public static final String STARTED = "job.execution.started";
    public static final String SUCCEEDED = "job.execution.succeeded";
    public static final String FAILED = "job.execution.failed";
    public static final String PING = "webhook.ping";

    private JobEvent() {
    }
}
