package dev.cronhook.scheduler.jobs;

/**
 * What ends a job's attempt (PRODUCT.md section 10): {@code response}, its HTTP response; {@code callback}, a later
 * call from the target to the attempt's callback URL, after a 2xx.
 */
public enum Completion {
    RESPONSE, CALLBACK;

    public static final String RULE = "must be response or callback";
    /** How long a callback may take after the 2xx, by default and at most. */
    public static final int DEFAULT_CALLBACK_TIMEOUT_SECONDS = 3600;
    public static final int MAX_CALLBACK_TIMEOUT_SECONDS = 86_400;
    public static final String CALLBACK_TIMEOUT_RULE = "must be a whole number from 1 to 86400";

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Null when {@code value} names no completion. */
    public static Completion fromWire(String value) {
        for (Completion completion : values()) {
            if (completion.wireName().equals(value)) {
                return completion;
            }
        }
        return null;
    }
}
