package dev.cronhook.incident.integrations;

/** An integration right after it was made or its token rotated: the only time its intake token is known. */
public record CreatedIntegration(Integration integration, String token) {
    /** Redacted: a record's default toString would put the token into logs. */
    @Override
    public String toString() {
        return "CreatedIntegration[" + integration + ", token=***]";
    }
}
