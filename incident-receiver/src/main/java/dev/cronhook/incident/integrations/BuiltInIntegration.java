package dev.cronhook.incident.integrations;

import dev.cronhook.delivery.signing.WebhookSecret;

/**
 * The built-in {@code cronhook} integration: where Cronhook's own job notifications go.
 *
 * @param token the intake token, for the intake URL {@code /hooks/<token>}
 * @param signingSecret the secret the notifications must be signed with
 */
public record BuiltInIntegration(String id, String token, WebhookSecret signingSecret) {
    @Override
    public String toString() {
        return "BuiltInIntegration[" + id + ", token=***]";
    }
}
