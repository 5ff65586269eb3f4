package dev.cronhook.scheduler.runs;

/**
 * What a target reports to an attempt's callback URL (PRODUCT.md section 10): {@code succeeded} or {@code failed}, and
 * the start of its output ({@link #MAX_OUTPUT_BYTES} at most, kept as the attempt's {@code callback_output}).
 */
public record CallbackReport(Status status, String output) {
    /** How much of the output is kept. */
    public static final int MAX_OUTPUT_BYTES = 4 * 1024;

    public enum Status {
        SUCCEEDED, FAILED;

        public static final String RULE = "must be succeeded or failed";

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** Null when {@code value} names no status. */
        public static Status fromWire(String value) {
            for (Status status : values()) {
                if (status.wireName().equals(value)) {
                    return status;
                }
            }
            return null;
        }
    }

    public CallbackReport {
        java.util.Objects.requireNonNull(status, "status");
        // The database cannot store a NUL; a target's output is kept, not refused, for it.
        output = output == null ? null : truncate(output.replace('\u0000', '\uFFFD'));
    }

    /** The first {@link #MAX_OUTPUT_BYTES} bytes of {@code text} in UTF-8, never cutting a character in two. */
    static String truncate(String text) {
        if (text == null || text.length() * 3L <= MAX_OUTPUT_BYTES) {
            return text;
        }
        int bytes = 0;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            int size = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
            if (bytes + size > MAX_OUTPUT_BYTES) {
                return text.substring(0, i);
            }
            bytes += size;
            i += Character.charCount(codePoint);
        }
        return text;
    }
}
