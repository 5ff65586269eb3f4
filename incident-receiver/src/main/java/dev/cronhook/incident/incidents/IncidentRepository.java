package dev.cronhook.incident.incidents;

import dev.cronhook.common.db.Rows;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbStatementDml;
import io.helidon.dbclient.DbStatementQuery;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** The SQL of incidents, their timeline and the incident number counter. */
public final class IncidentRepository {
    public static final int MAX_TITLE = 1000;
    static final int MAX_MESSAGE = 2000;
    private static final String COLUMNS = "id, number, integration_id, dedup_key, title, body, body_is_json, severity, "
            + "priority, status, occurrences, created_at, last_occurrence_at, acknowledged_at, ack_expires_at, "
            + "resolved_at, resolved_by, window_started_at, window_count, rate_limited_until, alerted, muted, remind_at";

    private final DbClient db;

    public IncidentRepository(DbClient db) {
        this.db = db;
    }

    /**
     * One equality on {@code open_key}, which names the integration too: only the unique key can serve it, whatever
     * the planner knows of the table (a PostgreSQL test checks the generic plan). An IN list of keys would not do:
     * on a table without statistics its generic plan scans the whole table.
     */
    public static final String FIND_OPEN_FOR_UPDATE = "SELECT id, status, window_started_at, window_count, rate_limited_until "
            + "FROM incidents WHERE open_key = ? FOR UPDATE";

    /**
     * What the rules need of the open incident with this open key ({@link #openKey}), locked until the transaction
     * ends. Every intake event runs it: it reads only what the rules look at. Like the other statements each event
     * runs, its parameter is positional and it is named: the DB client would otherwise parse named parameters and
     * hash the SQL text for a name at every execution.
     */
    public Optional<IncidentRules.OpenIncident> findOpenForUpdate(DbExecute tx, String openKey) {
        return tx.createNamedGet("incident-find-open", FIND_OPEN_FOR_UPDATE)
                .addParam(openKey)
                .execute()
                .map(row -> new IncidentRules.OpenIncident(Rows.string(row, "id"),
                        IncidentStatus.fromWire(Rows.string(row, "status")), grouping(row)));
    }

    /** What {@code open_key} holds while an incident is open: integration ids contain no ':', so it is unambiguous. */
    public static String openKey(String integrationId, String key) {
        return integrationId + ":" + key;
    }

    public Optional<StoredIncident> findForUpdate(DbExecute tx, String id) {
        return tx.createGet("SELECT " + COLUMNS + " FROM incidents WHERE id = :id FOR UPDATE")
                .addParam("id", id)
                .execute()
                .map(IncidentRepository::read);
    }

    public Optional<StoredIncident> find(DbExecute exec, String id) {
        return exec.createGet("SELECT " + COLUMNS + " FROM incidents WHERE id = :id")
                .addParam("id", id)
                .execute()
                .map(IncidentRepository::read);
    }

    /**
     * Takes {@code count} consecutive incident numbers and returns the first. The counter row stays locked until the
     * transaction ends, so transactions that open incidents take turns; a rolled-back one gives its numbers back.
     */
    public long nextNumbers(DbExecute tx, long count) {
        tx.createUpdate("UPDATE receiver_counters SET issued = issued + :count WHERE name = 'incident_number'")
                .addParam("count", count)
                .execute();
        return tx.createGet("SELECT issued FROM receiver_counters WHERE name = 'incident_number'")
                .execute()
                .map(row -> Rows.number(row, "issued") - count + 1)
                .orElseThrow(() -> new IllegalStateException("the incident number counter is missing"));
    }

    /**
     * An incident to insert, with its alert state as the alert gate decided it: {@code alerted} (its opening is alerted
     * in the same transaction), {@code muted} (a silence held that back), {@code remindAt} (its first reminder).
     */
    public record Opened(Incident incident, boolean alerted, boolean muted, Instant remindAt) {
    }

    /**
     * Inserts incidents just opened, in one statement: the openings of a batch are written together. Positional
     * parameters, in the order of {@link #COLUMNS} and then {@code open_key}.
     */
    public void insertOpened(DbExecute tx, List<Opened> openings) {
        String row = "(" + "?, ".repeat(23) + "?)";
        DbStatementDml insert = tx.createNamedInsert("incident-open-" + openings.size(), "INSERT INTO incidents ("
                + COLUMNS + ", open_key) VALUES " + String.join(", ", Collections.nCopies(openings.size(), row)));
        IncidentRules.GroupingState fresh = IncidentRules.GroupingState.FRESH;
        for (Opened opened : openings) {
            Incident incident = opened.incident();
            insert.addParam(incident.id())
                    .addParam(incident.number())
                    .addParam(incident.integrationId())
                    .addParam((Object) incident.dedupKey())
                    .addParam(cut(incident.title(), MAX_TITLE))
                    .addParam((Object) incident.body())
                    .addParam(incident.bodyIsJson())
                    .addParam(incident.severity().wireName())
                    .addParam((Object) incident.priority())
                    .addParam(incident.status().wireName())
                    .addParam(incident.occurrences())
                    .addParam(Rows.at(incident.createdAt()))
                    .addParam(Rows.at(incident.lastOccurrenceAt()))
                    .addParam(Rows.at(incident.acknowledgedAt()))
                    .addParam((Object) null) // ack_expires_at: not acknowledged
                    .addParam(Rows.at(incident.resolvedAt()))
                    .addParam((Object) incident.resolvedBy())
                    .addParam(Rows.at(fresh.windowStartedAt()))
                    .addParam(fresh.windowCount())
                    .addParam(Rows.at(fresh.rateLimitedUntil()))
                    .addParam(opened.alerted())
                    .addParam(opened.muted())
                    .addParam(Rows.at(opened.remindAt()))
                    .addParam((Object) (incident.status().open() && incident.dedupKey() != null
                            ? openKey(incident.integrationId(), incident.dedupKey()) : null));
        }
        insert.execute();
    }

    /** Counts one more event on an open incident. Named, with positional parameters: every grouped event runs it. */
    public void group(DbExecute tx, String id, Instant now, IncidentRules.GroupingState next) {
        tx.createNamedUpdate("incident-group", "UPDATE incidents SET occurrences = occurrences + 1, "
                        + "last_occurrence_at = ?, window_started_at = ?, window_count = ?, rate_limited_until = ? "
                        + "WHERE id = ?")
                .addParam(Rows.at(now))
                .addParam(Rows.at(next.windowStartedAt()))
                .addParam(next.windowCount())
                .addParam(Rows.at(next.rateLimitedUntil()))
                .addParam(id)
                .execute();
    }

    /** Resolves an open incident; false when it was resolved already. */
    public boolean resolve(DbExecute tx, String id, Instant now, String resolvedBy) {
        return tx.createUpdate("UPDATE incidents SET status = 'resolved', open_key = NULL, resolved_at = :now, "
                        + "resolved_by = :resolved_by, ack_expires_at = NULL, remind_at = NULL "
                        + "WHERE id = :id AND status <> 'resolved'")
                .addParam("now", Rows.at(now))
                .addParam("resolved_by", resolvedBy)
                .addParam("id", id)
                .execute() == 1;
    }

    /** Acknowledges a triggered incident; false when it is not triggered. */
    public boolean acknowledge(DbExecute tx, String id, Instant now, Instant expiresAt) {
        DbStatementDml update = tx.createUpdate("UPDATE incidents SET status = 'acknowledged', acknowledged_at = :now, "
                        + "ack_expires_at = :expires, remind_at = NULL WHERE id = :id AND status = 'triggered'")
                .addParam("now", Rows.at(now))
                .addParam("id", id);
        return Rows.nullable(update, "expires", Rows.at(expiresAt)).execute() == 1;
    }

    /** Puts an incident whose acknowledgement ran out back to triggered; false when another node did, or it moved. */
    public boolean reopenExpired(DbExecute tx, String id, Instant now) {
        return tx.createUpdate("UPDATE incidents SET status = 'triggered', acknowledged_at = NULL, "
                        + "ack_expires_at = NULL WHERE id = :id AND status = 'acknowledged' AND ack_expires_at <= :now")
                .addParam("id", id)
                .addParam("now", Rows.at(now))
                .execute() == 1;
    }

    /** Ids of acknowledged incidents whose acknowledgement ran out by {@code now}, earliest first. */
    public List<String> ackExpired(Instant now, int limit) {
        try (var rows = db.execute().createQuery("SELECT id FROM incidents WHERE ack_expires_at <= :now "
                        + "AND status = 'acknowledged' ORDER BY ack_expires_at, id LIMIT :limit")
                .addParam("now", Rows.at(now))
                .addParam("limit", limit)
                .execute()) {
            return rows.map(row -> Rows.string(row, "id")).toList();
        }
    }

    /** Its opening was alerted: reminders are due from {@code remindAt} (null: none). */
    public void markAlerted(DbExecute tx, String id, Instant remindAt) {
        Rows.nullable(tx.createUpdate("UPDATE incidents SET alerted = TRUE, muted = FALSE, remind_at = :remind_at "
                + "WHERE id = :id").addParam("id", id), "remind_at", Rows.at(remindAt)).execute();
    }

    /** A silence held its opening alert back: the silence's end sends it, if the incident is still triggered. */
    public void markMuted(DbExecute tx, String id) {
        tx.createUpdate("UPDATE incidents SET muted = TRUE WHERE id = :id").addParam("id", id).execute();
    }

    public void setRemindAt(DbExecute tx, String id, Instant remindAt) {
        Rows.nullable(tx.createUpdate("UPDATE incidents SET remind_at = :remind_at WHERE id = :id")
                .addParam("id", id), "remind_at", Rows.at(remindAt)).execute();
    }

    /** Ids of triggered incidents whose reminder is due by {@code now}, earliest first. */
    public List<String> remindersDue(Instant now, int limit) {
        try (var rows = db.execute().createQuery("SELECT id FROM incidents WHERE remind_at <= :now "
                        + "AND status = 'triggered' ORDER BY remind_at, id LIMIT :limit")
                .addParam("now", Rows.at(now))
                .addParam("limit", limit)
                .execute()) {
            return rows.map(row -> Rows.string(row, "id")).toList();
        }
    }

    /** Triggered incidents a silence with this matcher may have muted, locked (null matches every value). */
    public List<StoredIncident> mutedTriggered(DbExecute tx, String integrationId, String dedupKey) {
        var query = tx.createQuery("SELECT " + COLUMNS + " FROM incidents WHERE status = 'triggered' "
                + "AND muted = TRUE" + (integrationId == null ? "" : " AND integration_id = :integration_id")
                + (dedupKey == null ? "" : " AND dedup_key = :dedup_key") + " ORDER BY id FOR UPDATE");
        Rows.nullable(query, "integration_id", integrationId);
        Rows.nullable(query, "dedup_key", dedupKey);
        try (var rows = query.execute()) {
            return rows.map(IncidentRepository::read).toList();
        }
    }

    /** A timeline entry to write. */
    public record NewEntry(String incidentId, Instant at, String type, String message) {
    }

    /** Several timeline entries in one statement, in this order. */
    public void addTimeline(DbExecute tx, List<NewEntry> entries) {
        DbStatementDml insert = tx.createNamedInsert("incident-timeline-" + entries.size(), "INSERT INTO "
                + "incident_timeline (incident_id, at, type, message) VALUES "
                + String.join(", ", Collections.nCopies(entries.size(), "(?, ?, ?, ?)")));
        for (NewEntry entry : entries) {
            insert.addParam(entry.incidentId())
                    .addParam(Rows.at(entry.at()))
                    .addParam(entry.type())
                    .addParam((Object) (entry.message() == null ? null : cut(entry.message(), MAX_MESSAGE)));
        }
        insert.execute();
    }

    /** Named, with positional parameters: nearly every event runs it. */
    public void addTimeline(DbExecute tx, String incidentId, Instant at, String type, String message) {
        tx.createNamedInsert("incident-timeline", "INSERT INTO incident_timeline (incident_id, at, type, message) "
                        + "VALUES (?, ?, ?, ?)")
                .addParam(incidentId)
                .addParam(Rows.at(at))
                .addParam(type)
                .addParam((Object) (message == null ? null : cut(message, MAX_MESSAGE)))
                .execute();
    }

    public List<TimelineEntry> timeline(String incidentId) {
        try (var rows = db.execute().createQuery("SELECT at, type, message FROM incident_timeline "
                        + "WHERE incident_id = :incident_id ORDER BY seq")
                .addParam("incident_id", incidentId)
                .execute()) {
            return rows.map(row -> new TimelineEntry(Rows.instant(row, "at"), Rows.string(row, "type"),
                    Rows.string(row, "message"))).toList();
        }
    }

    /** Newest first: people look at incidents to see what just happened. */
    public List<Incident> list(IncidentStatus status, boolean openOnly, String integrationId, String cursor, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM incidents WHERE 1 = 1");
        if (cursor != null) {
            sql.append(" AND id < :cursor");
        }
        if (status != null) {
            sql.append(" AND status = :status");
        }
        if (openOnly) {
            sql.append(" AND status <> 'resolved'");
        }
        if (integrationId != null) {
            sql.append(" AND integration_id = :integration_id");
        }
        sql.append(" ORDER BY id DESC LIMIT :limit");
        DbStatementQuery query = db.execute().createQuery(sql.toString()).addParam("limit", limit);
        Rows.nullable(query, "cursor", cursor);
        Rows.nullable(query, "status", status == null ? null : status.wireName());
        Rows.nullable(query, "integration_id", integrationId);
        try (var rows = query.execute()) {
            return rows.map(row -> read(row).incident()).toList();
        }
    }

    public long countOpen() {
        return db.execute().createGet("SELECT count(*) AS open FROM incidents WHERE status <> 'resolved'")
                .execute()
                .map(row -> Rows.number(row, "open"))
                .orElse(0L);
    }

    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    static StoredIncident read(DbRow row) {
        Incident incident = new Incident(
                Rows.string(row, "id"),
                Rows.number(row, "number"),
                Rows.string(row, "integration_id"),
                Rows.string(row, "dedup_key"),
                Rows.string(row, "title"),
                Rows.string(row, "body"),
                Rows.bool(row, "body_is_json"),
                Severity.fromWire(Rows.string(row, "severity")),
                Rows.string(row, "priority"),
                IncidentStatus.fromWire(Rows.string(row, "status")),
                Rows.number(row, "occurrences"),
                Rows.instant(row, "created_at"),
                Rows.instant(row, "last_occurrence_at"),
                Rows.instant(row, "acknowledged_at"),
                Rows.instant(row, "resolved_at"),
                Rows.string(row, "resolved_by"));
        return new StoredIncident(incident, Rows.instant(row, "ack_expires_at"), grouping(row),
                Rows.bool(row, "alerted"), Rows.bool(row, "muted"), Rows.instant(row, "remind_at"));
    }

    private static IncidentRules.GroupingState grouping(DbRow row) {
        return new IncidentRules.GroupingState(
                Rows.instant(row, "window_started_at"),
                Rows.integer(row, "window_count"),
                Rows.instant(row, "rate_limited_until"));
    }

    /**
     * Deletes up to {@code limit} incidents resolved before {@code cutoff} (their timelines with them), oldest first,
     * walking the primary key: an incident resolved before the cutoff was created before it too.
     */
    public int deleteResolvedBefore(Instant cutoff, int limit) {
        List<String> ids;
        try (var rows = db.execute().createQuery("SELECT id FROM incidents WHERE id < :below AND status = 'resolved' "
                        + "AND resolved_at < :cutoff ORDER BY id LIMIT :limit")
                .addParam("below", dev.cronhook.common.PrefixedIds.firstAt("inc", cutoff))
                .addParam("cutoff", Rows.at(cutoff))
                .addParam("limit", limit)
                .execute()) {
            ids = rows.map(row -> Rows.string(row, "id")).toList();
        }
        if (ids.isEmpty()) {
            return 0;
        }
        return (int) Rows.bindAll(db.execute().createDelete("DELETE FROM incidents WHERE id IN ("
                + Rows.placeholders("i", ids.size()) + ") AND status = 'resolved'"), "i", ids).execute();
    }
}
