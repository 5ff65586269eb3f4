package dev.cronhook.delivery.cluster;

import dev.cronhook.common.db.Rows;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import java.time.Instant;
import java.util.List;

/** The SQL of the {@code nodes} table. */
final class NodeRepository {
    private final DbClient db;

    NodeRepository(DbClient db) {
        this.db = db;
    }

    void insert(String id, String host, Instant now) {
        db.execute().createInsert("INSERT INTO nodes (id, host, state, started_at, last_heartbeat_at) "
                        + "VALUES (:id, :host, 'alive', :now, :now)")
                .addParam("id", id)
                .addParam("host", host)
                .addParam("now", Rows.at(now))
                .execute();
    }

    /** False when the node is no longer alive in the database: another node declared it dead. */
    boolean beat(String id, Instant now) {
        return db.execute().createUpdate("UPDATE nodes SET last_heartbeat_at = :now WHERE id = :id AND state = 'alive'")
                .addParam("now", Rows.at(now))
                .addParam("id", id)
                .execute() == 1;
    }

    /** A fenced node announces itself alive again. */
    void revive(DbExecute tx, String id, Instant now) {
        tx.createUpdate("UPDATE nodes SET state = 'alive', last_heartbeat_at = :now WHERE id = :id")
                .addParam("now", Rows.at(now))
                .addParam("id", id)
                .execute();
    }

    /** Alive nodes, other than {@code self}, whose last heartbeat is before {@code cutoff}. */
    List<String> stale(String self, Instant cutoff) {
        try (var rows = db.execute().createQuery("SELECT id FROM nodes WHERE state = 'alive' "
                        + "AND last_heartbeat_at < :cutoff AND id <> :self")
                .addParam("cutoff", Rows.at(cutoff))
                .addParam("self", self)
                .execute()) {
            return rows.map(row -> Rows.string(row, "id")).toList();
        }
    }

    /** Declares a stale node dead; false when another node did first or it heartbeated meanwhile. */
    boolean declareDead(DbExecute tx, String id, Instant cutoff) {
        return tx.createUpdate("UPDATE nodes SET state = 'dead' WHERE id = :id AND state = 'alive' "
                        + "AND last_heartbeat_at < :cutoff")
                .addParam("id", id)
                .addParam("cutoff", Rows.at(cutoff))
                .execute() == 1;
    }

    void markStopped(String id, Instant now) {
        db.execute().createUpdate("UPDATE nodes SET state = 'stopped', last_heartbeat_at = :now WHERE id = :id")
                .addParam("now", Rows.at(now))
                .addParam("id", id)
                .execute();
    }

    /** Every other node row: a single node that starts again is the only node there is. */
    int stopOthers(String self) {
        return (int) db.execute().createUpdate("UPDATE nodes SET state = 'stopped' WHERE id <> :self AND state = 'alive'")
                .addParam("self", self)
                .execute();
    }

    /** Forgets nodes that ended (dead or stopped) before {@code cutoff}. */
    int deleteEndedBefore(Instant cutoff) {
        return (int) db.execute().createDelete("DELETE FROM nodes WHERE state <> 'alive' AND last_heartbeat_at < :cutoff")
                .addParam("cutoff", Rows.at(cutoff))
                .execute();
    }

    List<Node> list() {
        try (var rows = db.execute().createQuery("SELECT id, host, state, started_at, last_heartbeat_at FROM nodes "
                + "ORDER BY id").execute()) {
            return rows.map(row -> new Node(
                    Rows.string(row, "id"),
                    Rows.string(row, "host"),
                    NodeState.fromWire(Rows.string(row, "state")),
                    Rows.instant(row, "started_at"),
                    Rows.instant(row, "last_heartbeat_at"))).toList();
        }
    }
}
