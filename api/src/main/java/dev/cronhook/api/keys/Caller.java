package dev.cronhook.api.keys;

/**
 * Who a request's API key says it is: {@code GET /v1/me}.
 *
 * @param keyId null for the key of {@code CRONHOOK_ADMIN_KEY}, which is never stored
 */
public record Caller(String keyId, String name, Scope scope) {
    /** How the configured admin key is named, since it has no stored name. */
    public static final String CONFIGURED_ADMIN = "CRONHOOK_ADMIN_KEY";
}
