package dev.cronhook.api.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cronhook.delivery.outbox.Delivery;
import dev.cronhook.scheduler.Webhook;

/** The JSON form of notification webhooks and their deliveries (PRODUCT.md section 6). */
public final class WebhookViews {
    private WebhookViews() {
    }

    /**
     * The authorization value is a credential and is never shown back; {@code has_authorization} says whether one is
     * set. (Echoing a mask instead would overwrite the credential when a client sends a fetched webhook back.)
     */
    public static ObjectNode webhook(Webhook webhook) {
        ObjectNode node = Json.object();
        node.put("id", webhook.id());
        node.put("nickname", webhook.nickname());
        node.put("url", webhook.url().toString());
        node.put("has_authorization", webhook.authorization() != null);
        ArrayNode topics = node.putArray("topics");
        webhook.topics().forEach(topics::add);
        if (webhook.jobIds().isEmpty()) {
            node.putNull("job_ids");
        } else {
            ArrayNode jobIds = node.putArray("job_ids");
            webhook.jobIds().forEach(jobIds::add);
        }
        node.put("enabled", webhook.enabled());
        node.put("disabled_reason", webhook.disabledReason());
        node.put("created_at", Json.time(webhook.createdAt()));
        node.put("updated_at", Json.time(webhook.updatedAt()));
        return node;
    }

    /** The webhook as shown once, right after it was made or its secret rotated. */
    public static ObjectNode webhookWithSecret(Webhook webhook) {
        ObjectNode node = webhook(webhook);
        node.put("signing_secret", webhook.secrets().current().value());
        return node;
    }

    public static ObjectNode delivery(Delivery delivery) {
        ObjectNode node = Json.object();
        node.put("id", delivery.id());
        node.put("webhook_id", delivery.endpointId());
        node.put("event_id", delivery.eventId());
        node.put("event_type", delivery.eventType());
        node.put("status", delivery.status().wireName());
        node.put("attempt_count", delivery.attemptCount());
        node.put("next_attempt_at", Json.time(delivery.nextAttemptAt()));
        node.put("created_at", Json.time(delivery.createdAt()));
        node.put("updated_at", Json.time(delivery.updatedAt()));
        node.set("attempts", JobViews.attempts(delivery.attempts()));
        return node;
    }
}
