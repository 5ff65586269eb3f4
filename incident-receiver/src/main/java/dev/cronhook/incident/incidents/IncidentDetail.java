package dev.cronhook.incident.incidents;

import java.util.List;

/** An incident with its timeline, oldest entry first. */
public record IncidentDetail(Incident incident, List<TimelineEntry> timeline) {
    public IncidentDetail {
        timeline = List.copyOf(timeline);
    }
}
