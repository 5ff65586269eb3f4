package dev.cronhook.scheduler.notify;

import dev.cronhook.scheduler.jobs.SigningSecrets;
import java.net.URI;
import java.time.Instant;
import java.util.List;

/**
 * A notification webhook subscription.
 *
 * @param authorization   sent verbatim as the {@code Authorization} header; null for none
 * @param topics          event types it receives, or {@code ["*"]} for all
 * @param jobIds          the jobs it hears about; empty for every job
 * @param disabledReason  why Cronhook disabled it (410 Gone); null otherwise
 */
public record Webhook(
        String id,
        String nickname,
        URI url,
        String authorization,
        List<String> topics,
        List<String> jobIds,
        boolean enabled,
        String disabledReason,
        SigningSecrets secrets,
        Instant createdAt,
        Instant updatedAt) {

    public static final String ALL_TOPICS = "*";
    public static final List<String> TOPICS = List.of(JobEvent.STARTED, JobEvent.SUCCEEDED, JobEvent.FAILED,
            JobEvent.SKIPPED, JobEvent.MISSED, JobEvent.PAUSED);

    public Webhook {
        topics = List.copyOf(topics);
        jobIds = List.copyOf(jobIds);
    }

    /** Whether an event of {@code type} about {@code jobId} goes to this subscription. */
    boolean wants(String type, String jobId) {
        return enabled && (topics.contains(ALL_TOPICS) || topics.contains(type))
                && (jobIds.isEmpty() || jobIds.contains(jobId));
    }
}
