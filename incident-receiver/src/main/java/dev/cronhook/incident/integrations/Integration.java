package dev.cronhook.incident.integrations;

import dev.cronhook.incident.incidents.Severity;
import java.time.Instant;

/**
 * A source of events. The intake token is not part of it: only its hash is stored, and the token is shown once, in
 * {@link CreatedIntegration}.
 *
 * @param ackTimeoutMinutes null when an acknowledged incident never falls back to triggered
 * @param builtIn true for the integration that receives Cronhook's own job notifications
 */
public record Integration(
        String id,
        String name,
        IntegrationType type,
        boolean hasSigningSecret,
        Integer ackTimeoutMinutes,
        Severity defaultSeverity,
        boolean builtIn,
        Instant createdAt,
        Instant updatedAt) {
}
