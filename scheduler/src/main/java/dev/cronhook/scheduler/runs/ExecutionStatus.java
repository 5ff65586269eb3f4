package dev.cronhook.scheduler.runs;

public enum ExecutionStatus {
    RUNNING, SUCCEEDED, RETRY_SCHEDULED, FAILED,
    /** Never sent: its job forbids overlap and another of its executions was in flight (PRODUCT.md section 10). */
    SKIPPED,
    /**
     * A callback job's attempt got its 2xx and waits for the target's callback, or its timeout (PRODUCT.md section
     * 10); {@code next_attempt_at} is when it ends either way.
     */
    AWAITING_CALLBACK;

    public String wireName() {
        return name().toLowerCase();
    }

    public static ExecutionStatus fromWire(String value) {
        for (ExecutionStatus status : values()) {
            if (status.wireName().equals(value)) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown execution status " + value);
    }
}
