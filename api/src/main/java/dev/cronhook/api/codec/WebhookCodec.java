package dev.cronhook.api.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cronhook.common.FieldError;
import dev.cronhook.common.Input;
import dev.cronhook.delivery.outbox.Delivery;
import dev.cronhook.scheduler.notify.Webhook;
import dev.cronhook.scheduler.notify.WebhookDraft;
import java.util.List;
import java.util.Set;

/** The wire form of notification webhooks and their deliveries (PRODUCT.md section 6), both ways. */
public final class WebhookCodec {
    /** The fields a client sets; the API description lists exactly these (and READ_ONLY), a test checks. */
    public static final Set<String> SETTABLE = Set.of("nickname", "url", "authorization", "topics", "job_ids",
            "enabled");
    /** Fields of the webhook's own representation: sending a fetched webhook back unchanged is not wrong. */
    public static final Set<String> READ_ONLY = Set.of("id", "has_authorization", "disabled_reason",
            "created_at", "updated_at");
    private static final FieldError NOT_AN_OBJECT = new FieldError("", "the request body must be a JSON object");

    private WebhookCodec() {
    }

    /** A create or change request; what it says is checked by the webhook service. */
    public static WebhookDraft decode(JsonNode input) {
        FieldReader in = FieldReader.of(input, NOT_AN_OBJECT, SETTABLE, READ_ONLY);
        Input<String> nickname = in.text("nickname", "must be a non-blank string");
        Input<String> url = in.text("url");
        Input<String> authorization = in.text("authorization", "must be a non-blank string, or null for none");
        Input<List<String>> topics = in.strings("topics", "must be a non-empty array of "
                + String.join(", ", Webhook.TOPICS) + ", or [\"*\"]");
        Input<List<String>> jobIds = in.strings("job_ids", "must be an array of job ids, or null for every job");
        return new WebhookDraft(nickname, url, authorization, topics, jobIds,
                in.bool("enabled", "must be true or false"), in.errors());
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
        node.set("attempts", JobCodec.attempts(delivery.attempts()));
        return node;
    }
}
