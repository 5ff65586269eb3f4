package dev.cronhook.incident.incidents;

import dev.cronhook.common.db.Rows;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbStatementDml;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The SQL of silences. */
public final class SilenceRepository {
    private static final String COLUMNS = "id, integration_id, dedup_key, starts_at, ends_at, comment, created_at";

    private final DbClient db;

    public SilenceRepository(DbClient db) {
        this.db = db;
    }

    public void insert(Silence silence) {
        DbStatementDml insert = db.execute().createInsert("INSERT INTO silences (" + COLUMNS + ") VALUES (:id, "
                        + ":integration_id, :dedup_key, :starts_at, :ends_at, :comment, :created_at)")
                .addParam("id", silence.id())
                .addParam("starts_at", Rows.at(silence.startsAt()))
                .addParam("ends_at", Rows.at(silence.endsAt()))
                .addParam("comment", silence.comment())
                .addParam("created_at", Rows.at(silence.createdAt()));
        Rows.nullable(insert, "integration_id", silence.integrationId());
        Rows.nullable(insert, "dedup_key", silence.dedupKey());
        insert.execute();
    }

    public Optional<Silence> find(String id) {
        return db.execute().createGet("SELECT " + COLUMNS + " FROM silences WHERE id = :id")
                .addParam("id", id)
                .execute()
                .map(SilenceRepository::read);
    }

    /** Newest first. */
    public List<Silence> list(String cursor, int limit) {
        var query = db.execute().createQuery("SELECT " + COLUMNS + " FROM silences"
                + (cursor == null ? "" : " WHERE id < :cursor") + " ORDER BY id DESC LIMIT :limit")
                .addParam("limit", limit);
        Rows.nullable(query, "cursor", cursor);
        try (var rows = query.execute()) {
            return rows.map(SilenceRepository::read).toList();
        }
    }

    /** The silences not yet over at {@code now} (active, or starting later): few, read once per transaction. */
    public List<Silence> current(DbExecute exec, Instant now) {
        try (var rows = exec.createQuery("SELECT " + COLUMNS + " FROM silences WHERE ends_at > :now")
                .addParam("now", Rows.at(now))
                .execute()) {
            return rows.map(SilenceRepository::read).toList();
        }
    }

    /** Ends a silence now unless it is over already; false when it was. */
    public boolean end(String id, Instant now) {
        return db.execute().createUpdate("UPDATE silences SET ends_at = :now WHERE id = :id AND ends_at > :now")
                .addParam("now", Rows.at(now))
                .addParam("id", id)
                .execute() == 1;
    }

    /** Silences over by {@code now} whose muted incidents were not looked at yet, oldest end first. */
    public List<String> endedUnhandled(Instant now, int limit) {
        try (var rows = db.execute().createQuery("SELECT id FROM silences WHERE ends_at <= :now "
                        + "AND end_handled = FALSE ORDER BY ends_at, id LIMIT :limit")
                .addParam("now", Rows.at(now))
                .addParam("limit", limit)
                .execute()) {
            return rows.map(row -> Rows.string(row, "id")).toList();
        }
    }

    /** Claims the handling of an ended silence: true for exactly one caller, on any number of nodes. */
    public Optional<Silence> claimEnd(DbExecute tx, String id) {
        if (tx.createUpdate("UPDATE silences SET end_handled = TRUE WHERE id = :id AND end_handled = FALSE")
                .addParam("id", id)
                .execute() != 1) {
            return Optional.empty();
        }
        return tx.createGet("SELECT " + COLUMNS + " FROM silences WHERE id = :id")
                .addParam("id", id)
                .execute()
                .map(SilenceRepository::read);
    }

    private static Silence read(DbRow row) {
        return new Silence(Rows.string(row, "id"), Rows.string(row, "integration_id"), Rows.string(row, "dedup_key"),
                Rows.instant(row, "starts_at"), Rows.instant(row, "ends_at"), Rows.string(row, "comment"),
                Rows.instant(row, "created_at"));
    }
}
