package dev.cronhook.api.keys;

import java.time.Instant;

/** A stored API key: never the key itself, only its first characters for people to recognise it. */
public record ApiKey(String id, String name, Scope scope, String prefix, Instant createdAt, Instant lastUsedAt) {
}
