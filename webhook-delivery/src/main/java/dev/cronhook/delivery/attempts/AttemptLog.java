package dev.cronhook.delivery.attempts;

import dev.cronhook.common.db.Rows;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbStatementDml;
import io.helidon.dbclient.DbStatementQuery;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A table of HTTP attempts with the same columns wherever it is kept ({@code attempts} of executions,
 * {@code delivery_attempts} of deliveries): one row per attempt, keyed by its owner and number.
 */
public final class AttemptLog {
    private static final int MAX_ERROR = 1000;

    private final String table;
    private final String ownerColumn;
    private final String nodeId;

    /**
     * Both names are constants of the caller, never input: they are written into the SQL. {@code nodeId}: this node,
     * recorded on every attempt it makes.
     */
    public AttemptLog(String table, String ownerColumn, String nodeId) {
        this.table = table;
        this.ownerColumn = ownerColumn;
        this.nodeId = nodeId;
    }

    /** One attempt to record: its owner, its number and how it went. */
    public record Entry(String ownerId, int number, AttemptResult result) {
    }

    /** Records attempt {@code number}; a node that lost its lease may finish it too: the first record stands. */
    public void insert(DbExecute tx, String ownerId, int number, AttemptResult result) {
        insertAll(tx, List.of(new Entry(ownerId, number, result)));
    }

    /** Records the attempts with one statement; as for one, an attempt recorded first elsewhere stands. */
    public void insertAll(DbExecute tx, List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < entries.size(); i++) {
            values.append(i == 0 ? "(" : ", (");
            for (String column : List.of("owner", "number", "started_at", "finished_at", "duration_ms", "queued_ms",
                    "outcome", "status_code", "error", "response_body")) {
                values.append(column.equals("owner") ? ":" : ", :").append(column).append(i);
            }
            values.append(", :node)");
        }
        DbStatementDml insert = tx.createInsert("INSERT INTO " + table + " (" + ownerColumn + ", number, started_at, "
                + "finished_at, duration_ms, queued_ms, outcome, status_code, error, response_body, node_id) VALUES " + values
                + " ON CONFLICT DO NOTHING").addParam("node", nodeId);
        for (int i = 0; i < entries.size(); i++) {
            AttemptResult result = entries.get(i).result();
            String error = result.error();
            if (error != null && error.length() > MAX_ERROR) {
                error = error.substring(0, MAX_ERROR);
            }
            insert.addParam("owner" + i, entries.get(i).ownerId())
                    .addParam("number" + i, entries.get(i).number())
                    .addParam("started_at" + i, Rows.at(result.startedAt()))
                    .addParam("finished_at" + i, Rows.at(result.finishedAt()))
                    .addParam("duration_ms" + i, result.durationMillis())
                    .addParam("queued_ms" + i, result.queuedMillis())
                    .addParam("outcome" + i, result.outcome().wireName());
            Rows.nullable(insert, "status_code" + i, result.statusCode());
            Rows.nullable(insert, "error" + i, error);
            Rows.nullable(insert, "response_body" + i, result.responseBody());
        }
        insert.execute();
    }

    /** The attempts of each owner, in number order; one query for the whole page. */
    public Map<String, List<StoredAttempt>> read(DbExecute db, List<String> ownerIds) {
        Map<String, List<StoredAttempt>> attempts = new HashMap<>();
        if (ownerIds.isEmpty()) {
            return attempts;
        }
        DbStatementQuery query = Rows.bindAll(db.createQuery("SELECT " + ownerColumn + ", number, started_at, "
                + "finished_at, duration_ms, queued_ms, outcome, status_code, error, response_body, node_id FROM " + table + " WHERE "
                + ownerColumn + " IN (" + Rows.placeholders("o", ownerIds.size()) + ") ORDER BY " + ownerColumn
                + ", number"), "o", ownerIds);
        try (var stream = query.execute()) {
            stream.forEach(row -> attempts.computeIfAbsent(Rows.string(row, ownerColumn), k -> new ArrayList<>())
                    .add(new StoredAttempt(
                            Rows.integer(row, "number"),
                            Rows.instant(row, "started_at"),
                            Rows.instant(row, "finished_at"),
                            Rows.number(row, "duration_ms"),
                            Rows.number(row, "queued_ms"),
                            Rows.string(row, "outcome"),
                            Rows.integer(row, "status_code"),
                            Rows.string(row, "error"),
                            Rows.string(row, "response_body"),
                            Rows.string(row, "node_id"))));
        }
        return attempts;
    }
}
