package dev.cronhook.incident;

import dev.cronhook.common.DomainException;
import dev.cronhook.common.Page;
import dev.cronhook.incident.incidents.Incident;
import dev.cronhook.incident.incidents.IncidentDetail;
import dev.cronhook.incident.incidents.IncidentRepository;
import dev.cronhook.incident.incidents.IncidentStatus;
/** {@code /v1/incidents}: list, read with the timeline, acknowledge and resolve. */
public final class IncidentService {
    private final IncidentRepository incidents;
    private final IncidentEngine engine;
    private final io.helidon.dbclient.DbClient db;

    IncidentService(io.helidon.dbclient.DbClient db, IncidentRepository incidents, IncidentEngine engine) {
        this.db = db;
        this.incidents = incidents;
        this.engine = engine;
    }

    /**
     * Newest first.
     *
     * @param status {@code triggered}, {@code acknowledged}, {@code resolved}, {@code open} (the first two), or null
     * @param integrationId null for every integration
     */
    public Page<Incident> list(String status, String integrationId, String cursor, int limit) {
        IncidentStatus exact = null;
        boolean openOnly = false;
        if ("open".equals(status)) {
            openOnly = true;
        } else if (status != null) {
            try {
                exact = IncidentStatus.fromWire(status);
            } catch (IllegalArgumentException e) {
                throw DomainException.Invalid.of("status", "must be triggered, acknowledged, resolved or open");
            }
        }
        return Page.of(incidents.list(exact, openOnly, integrationId, cursor, limit + 1), limit, Incident::id);
    }

    public IncidentDetail get(String id) {
        Incident incident = incidents.find(db.execute(), id)
                .orElseThrow(() -> new DomainException.NotFound("no incident " + id))
                .incident();
        return new IncidentDetail(incident, incidents.timeline(id));
    }

    public Incident acknowledge(String id) {
        return engine.acknowledgeById(id);
    }

    /** Resolves with {@code resolved_by: "api"}; 409 when it is resolved already. */
    public Incident resolve(String id) {
        return engine.resolveById(id);
    }

    /** Open (triggered or acknowledged) incidents, for the metrics. */
    /** Retention: deletes up to {@code limit} incidents resolved before {@code cutoff}; returns how many. */
    public int deleteResolvedBefore(java.time.Instant cutoff, int limit) {
        return incidents.deleteResolvedBefore(cutoff, limit);
    }

    public long open() {
        return incidents.countOpen();
    }
}
