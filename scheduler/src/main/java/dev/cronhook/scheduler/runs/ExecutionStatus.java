package dev.cronhook.scheduler.runs;

public enum ExecutionStatus {
    RUNNING, SUCCEEDED, RETRY_SCHEDULED, FAILED;

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
