package dev.cronhook.delivery.outbox;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.cronhook.common.PrefixedIds;
import dev.cronhook.common.db.Rows;
import dev.cronhook.delivery.attempts.AttemptLog;
import dev.cronhook.delivery.attempts.AttemptResult;
import dev.cronhook.delivery.attempts.StoredAttempt;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbStatementDml;
import io.helidon.dbclient.DbStatementQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The SQL of deliveries and their attempts, and the row mapping. */
final class DeliveryRepository {
    private final AttemptLog attemptLog;
    private static final String COLUMNS =
            "id, endpoint_id, event_id, event_type, status, attempt_count, next_attempt_at, created_at, updated_at";
    private static final String PENDING = DeliveryStatus.PENDING.wireName();
    /**
     * The distinct endpoint ids of the table (a loose index scan: neither database skips through an index by itself).
     * PostgreSQL makes one index descent per endpoint. H2 (2.4) steps through the entries equal to the bound before
     * the first greater one, so it reads the entries of every endpoint but the last: a single node scans rarely.
     */
    private static final String ENDPOINTS = "WITH RECURSIVE endpoints (endpoint_id) AS ("
            + "(SELECT endpoint_id FROM deliveries ORDER BY endpoint_id LIMIT 1) "
            + "UNION ALL "
            + "SELECT (SELECT d.endpoint_id FROM deliveries d WHERE d.endpoint_id > e.endpoint_id "
            + "ORDER BY d.endpoint_id LIMIT 1) FROM endpoints e WHERE e.endpoint_id IS NOT NULL) ";

    /** A pending delivery whose time has come, as read by the claim before it takes the lease. */
    record Due(String id, String endpointId, String eventId, String eventType, byte[] body, int attemptCount,
               int budgetStart, Instant dueAt) {

        ClaimedDelivery claimed(Instant lease) {
            return new ClaimedDelivery(id, endpointId, eventId, eventType, body, attemptCount + 1, budgetStart, lease);
        }
    }

    /** An endpoint with pending deliveries; {@code earliest} is the soonest due time or lease among them. */
    record Queue(String endpointId, Instant earliest) {
    }

    private final DbClient db;

    private final String nodeId;

    /** {@code nodeId}: this node, recorded on the deliveries it leases and the attempts it makes. */
    DeliveryRepository(DbClient db, String nodeId) {
        this.db = db;
        this.nodeId = nodeId;
        this.attemptLog = new AttemptLog("delivery_attempts", "delivery_id", nodeId);
    }

    void insertPending(DbExecute tx, String id, NewDelivery delivery, String body, Instant now) {
        tx.createInsert("INSERT INTO deliveries (id, endpoint_id, event_id, event_type, body, status, attempt_count, "
                        + "budget_start, next_attempt_at, created_at, updated_at) VALUES (:id, :endpoint_id, :event_id, "
                        + ":event_type, :body, :status, 0, 0, :now, :now, :now)")
                .addParam("id", id)
                .addParam("endpoint_id", delivery.endpointId())
                .addParam("event_id", delivery.eventId())
                .addParam("event_type", delivery.eventType())
                .addParam("body", body)
                .addParam("status", PENDING)
                .addParam("now", Rows.at(now))
                .execute();
    }

    /** A delivery that was sent once and is done with (a ping), with its one attempt. */
    void insertFinished(DbExecute tx, String id, NewDelivery delivery, String body, DeliveryStatus status,
                        AttemptResult result, Instant now) {
        tx.createInsert("INSERT INTO deliveries (id, endpoint_id, event_id, event_type, body, status, attempt_count, "
                        + "budget_start, created_at, updated_at) VALUES (:id, :endpoint_id, :event_id, :event_type, "
                        + ":body, :status, 1, 0, :now, :now)")
                .addParam("id", id)
                .addParam("endpoint_id", delivery.endpointId())
                .addParam("event_id", delivery.eventId())
                .addParam("event_type", delivery.eventType())
                .addParam("body", body)
                .addParam("status", status.wireName())
                .addParam("now", Rows.at(now))
                .execute();
        insertAttempt(tx, id, 1, result);
    }

    /**
     * Every endpoint with a delivery due by {@code horizon}, and the earliest {@code next_attempt_at} among them: when
     * the next one is due, or when the lease of one being sent runs out. One statement; on PostgreSQL two index
     * descents per endpoint that has deliveries, however many deliveries there are.
     */
    List<Queue> queues(Instant horizon) {
        // The probe's ORDER BY names both index columns and its range has an upper end, or H2 sorts the range, or
        // reads every finished delivery of an endpoint with none due.
        try (var rows = db.execute().createQuery(ENDPOINTS + "SELECT e.endpoint_id, (SELECT d.next_attempt_at "
                        + "FROM deliveries d WHERE d.endpoint_id = e.endpoint_id AND d.next_attempt_at <= :horizon "
                        + "ORDER BY d.endpoint_id, d.next_attempt_at LIMIT 1) AS earliest FROM endpoints e "
                        + "WHERE e.endpoint_id IS NOT NULL")
                .addParam("horizon", Rows.at(horizon))
                .execute()) {
            // Filtered here: in SQL, PostgreSQL would run the probe twice for each endpoint kept.
            return rows.map(row -> new Queue(Rows.string(row, "endpoint_id"), Rows.instant(row, "earliest")))
                    .filter(queue -> queue.earliest() != null)
                    .toList();
        }
    }

    /**
     * The ids of up to {@code limit} of one endpoint's due deliveries, oldest due first; reads about as many index
     * entries as it returns. Not locked: with FOR UPDATE, H2 reads and sorts the whole range before the LIMIT, so the
     * rows are locked by {@link #lockDue}, by id.
     */
    List<String> dueIds(DbExecute tx, String endpointId, Instant now, int limit) {
        // No status predicate: next_attempt_at is set exactly while pending, and with one PostgreSQL underestimates
        // the rows and, while its statistics are missing or stale, reads and sorts the endpoint's whole backlog
        // instead of walking the index. Both index columns in the ORDER BY, or H2 sorts the range too.
        try (var rows = tx.createQuery("SELECT id FROM deliveries WHERE endpoint_id = :endpoint_id "
                        + "AND next_attempt_at <= :now ORDER BY endpoint_id, next_attempt_at LIMIT :limit")
                .addParam("endpoint_id", endpointId)
                .addParam("now", Rows.at(now))
                .addParam("limit", limit)
                .execute()) {
            return rows.map(row -> Rows.string(row, "id")).toList();
        }
    }

    /**
     * Those of {@code ids} still due, locked for this transaction; rows another node is claiming are skipped, and a
     * row another node leased since {@link #dueIds} read it is no longer due when rechecked under the lock.
     */
    List<Due> lockDue(DbExecute tx, List<String> ids, Instant now) {
        DbStatementQuery query = tx.createQuery("SELECT id, endpoint_id, event_id, event_type, body, attempt_count, "
                        + "budget_start, next_attempt_at FROM deliveries WHERE id IN (" + Rows.placeholders("i", ids.size())
                        + ") AND next_attempt_at <= :now ORDER BY next_attempt_at FOR UPDATE SKIP LOCKED")
                .addParam("now", Rows.at(now));
        for (int i = 0; i < ids.size(); i++) {
            query.addParam("i" + i, ids.get(i));
        }
        try (var rows = query.execute()) {
            return rows.map(row -> new Due(
                    Rows.string(row, "id"),
                    Rows.string(row, "endpoint_id"),
                    Rows.string(row, "event_id"),
                    Rows.string(row, "event_type"),
                    Rows.string(row, "body").getBytes(UTF_8),
                    Rows.integer(row, "attempt_count"),
                    Rows.integer(row, "budget_start"),
                    Rows.instant(row, "next_attempt_at"))).toList();
        }
    }

    /**
     * Claims a due delivery until {@code lease}. Conditional on the due time read, so of two nodes that read the
     * same row exactly one claims it, and a delivery is taken over only once the lease of the node that died ran out.
     */
    boolean takeLease(DbExecute tx, Due due, Instant lease, Instant now) {
        return tx.createUpdate("UPDATE deliveries SET next_attempt_at = :lease, node_id = :node, updated_at = :now "
                        + "WHERE id = :id AND status = :pending AND next_attempt_at = :due_at")
                .addParam("lease", Rows.at(lease))
                .addParam("node", nodeId)
                .addParam("now", Rows.at(now))
                .addParam("id", due.id())
                .addParam("pending", PENDING)
                .addParam("due_at", Rows.at(due.dueAt()))
                .execute() == 1;
    }

    /**
     * Stores an attempt and what follows it. The state changes only while this node's lease stands: if the lease ran
     * out and another node took over, or the delivery was redelivered meanwhile, that newer decision stands.
     */
    void recordAttempt(DbExecute tx, ClaimedDelivery claim, AttemptResult result, DeliveryStatus status,
                       Instant nextAttemptAt, Instant now) {
        DbStatementDml settle = tx.createUpdate("UPDATE deliveries SET status = :status, attempt_count = :number, "
                        + "next_attempt_at = :next_attempt_at, node_id = NULL, updated_at = :now "
                        + "WHERE id = :id AND status = :pending AND next_attempt_at = :lease")
                .addParam("status", status.wireName())
                .addParam("number", claim.attemptNumber())
                .addParam("now", Rows.at(now))
                .addParam("id", claim.id())
                .addParam("pending", PENDING)
                .addParam("lease", Rows.at(claim.lease()));
        Rows.nullable(settle, "next_attempt_at", Rows.at(nextAttemptAt));
        if (settle.execute() == 0) {
            // Still count the attempt, so the next one gets the next number.
            tx.createUpdate("UPDATE deliveries SET attempt_count = :number, updated_at = :now "
                            + "WHERE id = :id AND attempt_count < :number")
                    .addParam("number", claim.attemptNumber())
                    .addParam("now", Rows.at(now))
                    .addParam("id", claim.id())
                    .execute();
            if (!exists(tx, claim.id())) {
                // Forgotten with its endpoint while the request was in flight: nothing to log it on.
                return;
            }
        }
        insertAttempt(tx, claim.id(), claim.attemptNumber(), result);
    }

    /**
     * Makes the deliveries {@code node} is sending due now, for any node: their leases end, so that node's outcomes,
     * if it is still alive, are no longer recorded (the new sender's are). Walks the due index past now only.
     */
    int handOn(DbExecute tx, String node, Instant now) {
        return (int) tx.createUpdate("UPDATE deliveries SET next_attempt_at = :now, node_id = NULL, updated_at = :now "
                        + "WHERE next_attempt_at > :now AND status = :pending AND node_id = :node")
                .addParam("now", Rows.at(now))
                .addParam("pending", PENDING)
                .addParam("node", node)
                .execute();
    }

    /**
     * Deletes up to {@code limit} deliveries (their attempts with them) created before {@code cutoff} that are no
     * longer pending, oldest first, walking the primary key (ids sort by creation time). Returns how many.
     */
    int deleteFinishedCreatedBefore(Instant cutoff, int limit) {
        List<String> ids;
        try (var rows = db.execute().createQuery("SELECT id FROM deliveries WHERE id < :below AND status <> :pending "
                        + "ORDER BY id LIMIT :limit")
                .addParam("below", PrefixedIds.firstAt("dlv", cutoff))
                .addParam("pending", PENDING)
                .addParam("limit", limit)
                .execute()) {
            ids = rows.map(row -> Rows.string(row, "id")).toList();
        }
        if (ids.isEmpty()) {
            return 0;
        }
        return (int) Rows.bindAll(db.execute().createDelete("DELETE FROM deliveries WHERE id IN ("
                        + Rows.placeholders("d", ids.size()) + ") AND status <> :pending")
                .addParam("pending", PENDING), "d", ids)
                .execute();
    }

    /** Puts a claimed delivery back, due at {@code until}, without using up an attempt. */
    void defer(DbExecute tx, ClaimedDelivery claim, Instant until, Instant now) {
        tx.createUpdate("UPDATE deliveries SET next_attempt_at = :until, node_id = NULL, updated_at = :now "
                        + "WHERE id = :id AND status = :pending AND next_attempt_at = :lease")
                .addParam("until", Rows.at(until))
                .addParam("now", Rows.at(now))
                .addParam("id", claim.id())
                .addParam("pending", PENDING)
                .addParam("lease", Rows.at(claim.lease()))
                .execute();
    }

    /** Pending again, due now, with a fresh budget of attempts; false when there is no such delivery. */
    boolean requeue(String endpointId, String deliveryId, Instant now) {
        return db.execute().createUpdate("UPDATE deliveries SET status = :pending, next_attempt_at = :now, node_id = NULL, "
                        + "budget_start = attempt_count, updated_at = :now WHERE id = :id AND endpoint_id = :endpoint_id")
                .addParam("pending", PENDING)
                .addParam("now", Rows.at(now))
                .addParam("id", deliveryId)
                .addParam("endpoint_id", endpointId)
                .execute() == 1;
    }

    long deleteForEndpoint(String endpointId) {
        return db.execute().createDelete("DELETE FROM deliveries WHERE endpoint_id = :endpoint_id")
                .addParam("endpoint_id", endpointId)
                .execute();
    }

    long countPending() {
        // next_attempt_at is set exactly while pending: one range of the claim index per endpoint.
        return db.execute().createGet(ENDPOINTS + "SELECT COALESCE(SUM((SELECT COUNT(*) FROM deliveries d "
                        + "WHERE d.endpoint_id = e.endpoint_id AND d.next_attempt_at IS NOT NULL)), 0) AS pending "
                        + "FROM endpoints e WHERE e.endpoint_id IS NOT NULL")
                .execute()
                .map(row -> Rows.number(row, "pending"))
                .orElse(0L);
    }

    Optional<Delivery> find(String endpointId, String deliveryId) {
        Optional<DbRow> row = db.execute()
                .createGet("SELECT " + COLUMNS + " FROM deliveries WHERE id = :id AND endpoint_id = :endpoint_id")
                .addParam("id", deliveryId)
                .addParam("endpoint_id", endpointId)
                .execute();
        return row.map(r -> withAttempts(List.of(r)).getFirst());
    }

    /** Newest first; {@code cursor} is the last id of the previous page. */
    List<Delivery> list(String endpointId, String cursor, int limit) {
        String sql = "SELECT " + COLUMNS + " FROM deliveries WHERE endpoint_id = :endpoint_id"
                + (cursor == null ? "" : " AND id < :cursor") + " ORDER BY id DESC LIMIT :limit";
        DbStatementQuery query = db.execute().createQuery(sql)
                .addParam("endpoint_id", endpointId)
                .addParam("limit", limit);
        if (cursor != null) {
            query.addParam("cursor", cursor);
        }
        List<DbRow> rows;
        try (var stream = query.execute()) {
            rows = stream.toList();
        }
        return withAttempts(rows);
    }

    private boolean exists(DbExecute tx, String deliveryId) {
        return tx.createGet("SELECT id FROM deliveries WHERE id = :id").addParam("id", deliveryId).execute().isPresent();
    }

    private void insertAttempt(DbExecute tx, String deliveryId, int number, AttemptResult result) {
        attemptLog.insert(tx, deliveryId, number, result);
    }


    private List<Delivery> withAttempts(List<DbRow> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<String, List<StoredAttempt>> attempts = attemptLog.read(db.execute(),
                rows.stream().map(row -> Rows.string(row, "id")).toList());
        List<Delivery> deliveries = new ArrayList<>(rows.size());
        for (DbRow row : rows) {
            String id = Rows.string(row, "id");
            deliveries.add(new Delivery(
                    id,
                    Rows.string(row, "endpoint_id"),
                    Rows.string(row, "event_id"),
                    Rows.string(row, "event_type"),
                    DeliveryStatus.fromWire(Rows.string(row, "status")),
                    Rows.integer(row, "attempt_count"),
                    Rows.instant(row, "next_attempt_at"),
                    Rows.instant(row, "created_at"),
                    Rows.instant(row, "updated_at"),
                    attempts.getOrDefault(id, List.of())));
        }
        return deliveries;
    }
}
