package dev.cronhook.incident.channels;

import dev.cronhook.incident.incidents.Incident;
import dev.cronhook.incident.incidents.Severity;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Where alerts go.
 *
 * @param integrationIds empty for every integration
 * @param minSeverity null for every severity
 * @param enabled false once the endpoint answered 410 Gone (or a PATCH said so)
 */
public record Channel(
        String id,
        ChannelType type,
        URI url,
        Set<AlertEvent> events,
        List<String> integrationIds,
        Severity minSeverity,
        boolean enabled,
        Instant createdAt,
        Instant updatedAt) {

    public Channel {
        events = Set.copyOf(events);
        integrationIds = List.copyOf(integrationIds);
    }

    /** True when this channel is told about {@code event} on {@code incident}. */
    public boolean wants(AlertEvent event, Incident incident) {
        return enabled
                && events.contains(event)
                && (integrationIds.isEmpty() || integrationIds.contains(incident.integrationId()))
                && (minSeverity == null || incident.severity().atLeast(minSeverity));
    }
}
