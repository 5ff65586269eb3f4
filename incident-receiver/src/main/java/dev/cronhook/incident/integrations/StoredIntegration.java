package dev.cronhook.incident.integrations;

/** An integration with its signing secret, which the API never shows again. */
public record StoredIntegration(Integration integration, String signingSecret) {
    @Override
    public String toString() {
        return "StoredIntegration[" + integration + ", signingSecret=***]";
    }
}
