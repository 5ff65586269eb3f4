package dev.cronhook.incident;

import dev.cronhook.incident.incidents.IntakeResult;
import dev.cronhook.incident.integrations.IntegrationType;
import java.util.List;

/**
 * What one intake request did: one event for most types, one per alert for Alertmanager. {@code type}: the
 * integration's, whose sender may expect a reply of its own shape.
 */
public record IntakeOutcome(IntegrationType type, List<Handled> events) {

    public IntakeOutcome {
        events = List.copyOf(events);
    }

    /** One event: the dedup key it was handled under as sent (or as generated for it), and what it did. */
    public record Handled(String key, IntakeResult result) {
    }
}
