package dev.cronhook.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cronhook.common.DomainException;
import dev.cronhook.common.FieldError;
import dev.cronhook.delivery.OutgoingRequest;
import dev.cronhook.delivery.PrefixedIds;
import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Turns the JSON of a webhook create or patch into its settings, or names every field that is wrong. */
final class WebhookValidator {
    static final int MAX_JOB_IDS = 500;
    static final int MAX_AUTHORIZATION_CHARS = 2000;
    private static final Set<String> SETTABLE = Set.of("nickname", "url", "authorization", "topics", "job_ids",
            "enabled");
    /** Fields of the webhook's own representation: sending a fetched webhook back unchanged is not wrong. */
    private static final Set<String> READ_ONLY = Set.of("id", "has_authorization", "disabled_reason",
            "created_at", "updated_at");

    /** What a person sets on a webhook. */
    record Settings(String nickname, URI url, String authorization, List<String> topics, List<String> jobIds,
                    boolean enabled) {
    }

    private final UrlGuard urlGuard;

    WebhookValidator(UrlGuard urlGuard) {
        this.urlGuard = urlGuard;
    }

    /** {@code current} is null on create; on patch an absent field keeps its value. */
    Settings read(JsonNode input, Settings current) {
        if (!(input instanceof ObjectNode body)) {
            throw new DomainException.Invalid(List.of(new FieldError("", "the request body must be a JSON object")));
        }
        FieldErrors errors = new FieldErrors();
        Iterator<String> names = body.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!SETTABLE.contains(name) && !READ_ONLY.contains(name)) {
                errors.add(name, "unknown field");
            }
        }
        String nickname = body.has("nickname") ? nickname(body.get("nickname"), errors)
                : current == null ? missing("nickname", errors) : current.nickname();
        URI url = body.has("url") ? url(body.get("url"), errors)
                : current == null ? missingUrl(errors) : current.url();
        String authorization = body.has("authorization") ? authorization(body.get("authorization"), errors)
                : current == null ? null : current.authorization();
        List<String> topics = body.has("topics") ? topics(body.get("topics"), errors)
                : current == null ? missingList("topics", errors) : current.topics();
        List<String> jobIds = body.has("job_ids") ? jobIds(body.get("job_ids"), errors)
                : current == null ? List.of() : current.jobIds();
        boolean enabled = current == null || current.enabled();
        if (body.has("enabled")) {
            if (body.get("enabled").isBoolean()) {
                enabled = body.get("enabled").booleanValue();
            } else {
                errors.add("enabled", "must be true or false");
            }
        }
        errors.throwIfAny();
        return new Settings(nickname, url, authorization, topics, jobIds, enabled);
    }

    private static String nickname(JsonNode node, FieldErrors errors) {
        if (!node.isTextual() || node.textValue().isBlank()) {
            errors.add("nickname", "must be a non-blank string");
            return null;
        }
        if (node.textValue().length() > 200) {
            errors.add("nickname", "must be at most 200 characters");
        }
        return node.textValue();
    }

    private URI url(JsonNode node, FieldErrors errors) {
        if (!node.isTextual()) {
            errors.add("url", "must be a string");
            return null;
        }
        return TargetUrl.parse("url", node.textValue(), errors, urlGuard);
    }

    private static String authorization(JsonNode node, FieldErrors errors) {
        if (node.isNull()) {
            return null;
        }
        // The value is never echoed in messages: it is a credential.
        if (!node.isTextual() || node.textValue().isBlank()) {
            errors.add("authorization", "must be a non-blank string, or null for none");
        } else if (node.textValue().length() > MAX_AUTHORIZATION_CHARS) {
            errors.add("authorization", "must be at most " + MAX_AUTHORIZATION_CHARS + " characters");
        } else if (!OutgoingRequest.isValidHeaderValue(node.textValue())) {
            errors.add("authorization", "must be visible ASCII (no line breaks or control characters)");
        } else {
            return node.textValue();
        }
        return null;
    }

    private static List<String> topics(JsonNode node, FieldErrors errors) {
        if (!node.isArray() || node.isEmpty()) {
            errors.add("topics", "must be a non-empty array of " + String.join(", ", Webhook.TOPICS) + ", or [\"*\"]");
            return null;
        }
        Set<String> topics = new LinkedHashSet<>();
        for (JsonNode item : node) {
            String topic = item.isTextual() ? item.textValue() : null;
            if (topic == null || !(Webhook.TOPICS.contains(topic) || topic.equals(Webhook.ALL_TOPICS))) {
                errors.add("topics", "unknown topic " + item + "; topics are " + String.join(", ", Webhook.TOPICS)
                        + ", or \"*\" for all");
                return null;
            }
            topics.add(topic);
        }
        if (topics.contains(Webhook.ALL_TOPICS) && topics.size() > 1) {
            errors.add("topics", "\"*\" already means every topic; give it alone");
            return null;
        }
        return List.copyOf(topics);
    }

    private static List<String> jobIds(JsonNode node, FieldErrors errors) {
        if (node.isNull()) {
            return List.of();
        }
        if (!node.isArray() || node.size() > MAX_JOB_IDS) {
            errors.add("job_ids", "must be an array of at most " + MAX_JOB_IDS + " job ids, or null for every job");
            return null;
        }
        Set<String> ids = new LinkedHashSet<>();
        for (JsonNode item : node) {
            if (!item.isTextual() || !PrefixedIds.looksLike("job", item.textValue())) {
                errors.add("job_ids", item + " is not a job id");
                return null;
            }
            ids.add(item.textValue());
        }
        return List.copyOf(new ArrayList<>(ids));
    }

    private static String missing(String field, FieldErrors errors) {
        errors.add(field, "is required");
        return null;
    }

    private static URI missingUrl(FieldErrors errors) {
        errors.add("url", "is required");
        return null;
    }

    private static List<String> missingList(String field, FieldErrors errors) {
        errors.add(field, "is required");
        return null;
    }
}
