package dev.cronhook.scheduler.notify;

import dev.cronhook.common.FieldErrors;
import dev.cronhook.common.PrefixedIds;
import dev.cronhook.delivery.http.OutgoingRequest;
import dev.cronhook.scheduler.jobs.TargetUrl;
import dev.cronhook.scheduler.jobs.UrlGuard;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Turns a decoded webhook create or patch into its settings, or names every field that is wrong. */
public final class WebhookValidator {
    static final int MAX_JOB_IDS = 500;
    static final int MAX_AUTHORIZATION_CHARS = 2000;

    /** What a person sets on a webhook. */
    public record Settings(String nickname, URI url, String authorization, List<String> topics, List<String> jobIds,
                    boolean enabled) {
    }

    private final UrlGuard urlGuard;

    public WebhookValidator(UrlGuard urlGuard) {
        this.urlGuard = urlGuard;
    }

    /** {@code current} is null on create; on patch a field left out keeps its value. */
    public Settings read(WebhookDraft draft, Settings current) {
        FieldErrors errors = new FieldErrors();
        errors.addAll(draft.errors());
        String nickname = draft.nickname().sent() ? nickname(draft.nickname().value(), errors)
                : current == null ? missing("nickname", errors) : current.nickname();
        URI url = draft.url().sent() ? url(draft.url().value(), errors)
                : current == null ? missingUrl(errors) : current.url();
        String authorization = draft.authorization().sent() ? authorization(draft.authorization().value(), errors)
                : current == null ? null : current.authorization();
        List<String> topics = draft.topics().sent() ? topics(draft.topics().value(), errors)
                : current == null ? missingList("topics", errors) : current.topics();
        List<String> jobIds = draft.jobIds().sent() ? jobIds(draft.jobIds().value(), errors)
                : current == null ? List.of() : current.jobIds();
        boolean enabled = current == null || current.enabled();
        if (draft.enabled().sent()) {
            if (draft.enabled().value() != null) {
                enabled = draft.enabled().value();
            } else if (!errors.has("enabled")) {
                errors.add("enabled", "must be true or false");
            }
        }
        errors.throwIfAny();
        return new Settings(nickname, url, authorization, topics, jobIds, enabled);
    }

    private static String nickname(String nickname, FieldErrors errors) {
        if (nickname == null || nickname.isBlank()) {
            if (!errors.has("nickname")) {
                errors.add("nickname", "must be a non-blank string");
            }
            return null;
        }
        if (nickname.length() > 200) {
            errors.add("nickname", "must be at most 200 characters");
        }
        return nickname;
    }

    private URI url(String url, FieldErrors errors) {
        if (url == null) {
            if (!errors.has("url")) {
                errors.add("url", "must be a string");
            }
            return null;
        }
        return TargetUrl.parse("url", url, errors, urlGuard);
    }

    private static String authorization(String authorization, FieldErrors errors) {
        if (authorization == null || errors.has("authorization")) {
            return null;
        }
        // The value is never echoed in messages: it is a credential.
        if (authorization.isBlank()) {
            errors.add("authorization", "must be a non-blank string, or null for none");
        } else if (authorization.length() > MAX_AUTHORIZATION_CHARS) {
            errors.add("authorization", "must be at most " + MAX_AUTHORIZATION_CHARS + " characters");
        } else if (!OutgoingRequest.isValidHeaderValue(authorization)) {
            errors.add("authorization", "must be visible ASCII (no line breaks or control characters)");
        } else {
            return authorization;
        }
        return null;
    }

    private static List<String> topics(List<String> sent, FieldErrors errors) {
        if (sent == null || sent.isEmpty()) {
            if (!errors.has("topics")) {
                errors.add("topics", "must be a non-empty array of " + String.join(", ", Webhook.TOPICS)
                        + ", or [\"*\"]");
            }
            return null;
        }
        Set<String> topics = new LinkedHashSet<>();
        for (String topic : sent) {
            if (topic == null || !(Webhook.TOPICS.contains(topic) || topic.equals(Webhook.ALL_TOPICS))) {
                errors.add("topics", "unknown topic " + (topic == null ? "(not a string)" : "\"" + topic + "\"")
                        + "; topics are " + String.join(", ", Webhook.TOPICS) + ", or \"*\" for all");
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

    /** Sent as null: every job. */
    private static List<String> jobIds(List<String> items, FieldErrors errors) {
        if (errors.has("job_ids")) {
            return null;
        }
        if (items == null) {
            return List.of();
        }
        if (items.size() > MAX_JOB_IDS) {
            errors.add("job_ids", "must be an array of at most " + MAX_JOB_IDS + " job ids, or null for every job");
            return null;
        }
        Set<String> ids = new LinkedHashSet<>();
        for (String item : items) {
            if (item == null || !PrefixedIds.looksLike("job", item)) {
                errors.add("job_ids", (item == null ? "an item that is not a string" : "\"" + item + "\"")
                        + " is not a job id");
                return null;
            }
            ids.add(item);
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
