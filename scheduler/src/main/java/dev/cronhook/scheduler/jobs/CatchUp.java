package dev.cronhook.scheduler.jobs;

/**
 * What a cron job does about slots missed while no node could run them (PRODUCT.md section 10): {@code latest} runs
 * the most recent one, {@code all} every one oldest first (the most recent {@value MissedSlots#MAX_CAUGHT_UP} at
 * most), {@code none} none.
 */
public enum CatchUp {
    LATEST, ALL, NONE;

    public static final String RULE = "must be latest, all or none";

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Null when {@code value} names no policy. */
    public static CatchUp fromWire(String value) {
        for (CatchUp policy : values()) {
            if (policy.wireName().equals(value)) {
                return policy;
            }
        }
        return null;
    }
}
