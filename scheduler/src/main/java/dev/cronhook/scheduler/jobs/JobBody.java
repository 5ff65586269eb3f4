package dev.cronhook.scheduler.jobs;

/**
 * The body a job sends: either a plain string, or JSON text (sent with {@code Content-Type: application/json}
 * and shown back as JSON).
 */
public record JobBody(String text, boolean json) {
    public static final int MAX_BYTES = 64 * 1024;
}
