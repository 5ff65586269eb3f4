package dev.cronhook.incident.integrations;

import dev.cronhook.incident.incidents.Severity;
import java.time.Instant;

/**
 * A source of events. The intake token is not part of it: only its hash is stored, and the token is shown once, in
 * {@link CreatedIntegration}.
 *
 * @param ackTimeoutMinutes null when an acknowledged incident never falls back to triggered
 * @param builtIn true for the integration that receives Cronhook's own job notifications
 * @param alertAfter an incident alerts once it has this many occurrences (1: at once)
 * @param realertMinutes how often {@code incident.reminder} goes out while an incident stays triggered; null: never
 */
public record Integration(
        String id,
        String name,
        IntegrationType type,
        boolean hasSigningSecret,
        Integer ackTimeoutMinutes,
        Severity defaultSeverity,
        boolean builtIn,
        int alertAfter,
        Integer realertMinutes,
        Instant createdAt,
        Instant updatedAt) {
}
