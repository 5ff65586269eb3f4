package dev.cronhook.incident;

/** An integration with its signing secret, which the API never shows again. */
record StoredIntegration(Integration integration, String signingSecret) {
    @Override
    public String toString() {
        return "StoredIntegration[" + integration + ", signingSecret=***]";
    }
}
