package dev.cronhook.scheduler.jobs;

/**
 * What happens when a job's run comes while another of its executions is still in flight (PRODUCT.md section 10):
 * {@code allow} sends it anyway; {@code forbid} records it as skipped.
 */
public enum Concurrency {
    ALLOW, FORBID;

    public static final String RULE = "must be allow or forbid";

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Null when {@code value} names no policy. */
    public static Concurrency fromWire(String value) {
        for (Concurrency concurrency : values()) {
            if (concurrency.wireName().equals(value)) {
                return concurrency;
            }
        }
        return null;
    }
}
