package dev.cronhook.api.keys;

/** A key just made: the only moment the whole {@code key} is known. */
public record CreatedApiKey(ApiKey apiKey, String key) {
}
