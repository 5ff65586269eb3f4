package dev.cronhook.scheduler.jobs;

import dev.cronhook.delivery.signing.WebhookSecret;
import java.time.Instant;
import java.util.List;

/**
 * The signing secret of a job or a webhook, and after a rotation the previous one, which keeps signing until
 * {@code previousUntil}.
 */
public record SigningSecrets(WebhookSecret current, WebhookSecret previous, Instant previousUntil) {

    /** The secrets to sign with at {@code now}, current first. */
    public List<WebhookSecret> active(Instant now) {
        if (previous != null && previousUntil != null && now.isBefore(previousUntil)) {
            return List.of(current, previous);
        }
        return List.of(current);
    }
}
