package dev.cronhook.scheduler.runs;

import dev.cronhook.common.db.Rows;
import dev.cronhook.delivery.attempts.AttemptLog;
import dev.cronhook.delivery.attempts.AttemptResult;
import dev.cronhook.delivery.attempts.StoredAttempt;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbStatementDml;
import io.helidon.dbclient.DbStatementQuery;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The SQL of executions and their attempts, and the row mapping. */
public final class ExecutionRepository {
    private static final String COLUMNS =
            "id, job_id, run_trigger, scheduled_for, status, attempt_count, next_attempt_at, due_at, created_at";
    /**
     * A retry claimed ahead of its time waits in memory as a running row; until its time it is still a planned retry
     * to anyone who looks, so reads and the status filter show it as one.
     */
    private static final String CLAIMED_RETRY = "(status = 'running' AND attempt_count > 0 AND due_at > :now)";

    private final DbClient db;
    private final Clock clock;
    private final String nodeId;
    private final AttemptLog attemptLog;

    /** {@code nodeId}: this node, recorded on the executions it claims and the attempts it makes. */
    public ExecutionRepository(DbClient db, Clock clock, String nodeId) {
        this.db = db;
        this.clock = clock;
        this.nodeId = nodeId;
        this.attemptLog = new AttemptLog("attempts", "execution_id", nodeId);
    }

    /**
     * Records that a run was dispatched. The unique (job, slot time) key makes a second claim of the same scheduled
     * run a no-op on any node; {@code slotTime} is null for manual runs, which are never duplicates of each other.
     */
    boolean insertRunning(DbExecute tx, String id, String jobId, RunTrigger trigger, Instant scheduledFor,
                          Instant leaseUntil, Instant now) {
        Instant slotTime = trigger == RunTrigger.MANUAL ? null : scheduledFor;
        DbStatementDml insert = tx.createInsert("INSERT INTO executions (id, job_id, run_trigger, scheduled_for, "
                        + "slot_time, status, attempt_count, lease_until, due_at, created_at, updated_at, node_id) "
                        + "VALUES (:id, :job_id, :run_trigger, :scheduled_for, :slot_time, 'running', 0, :lease, "
                        + ":scheduled_for, :now, :now, :node) ON CONFLICT DO NOTHING")
                .addParam("id", id)
                .addParam("node", nodeId)
                .addParam("job_id", jobId)
                .addParam("run_trigger", trigger.wireName())
                .addParam("scheduled_for", Rows.at(scheduledFor))
                .addParam("lease", Rows.at(leaseUntil))
                .addParam("now", Rows.at(now));
        return Rows.nullable(insert, "slot_time", Rows.at(slotTime)).execute() == 1;
    }

    /** A scheduled or catch-up run to record as dispatched. */
    record NewRun(String id, String jobId, RunTrigger trigger, Instant scheduledFor, Instant leaseUntil) {
        NewRun {
            if (trigger == RunTrigger.MANUAL) {
                throw new IllegalArgumentException("a manual run has no slot; record it with insertRunning");
            }
        }
    }

    /**
     * Records a batch of dispatched runs with one statement and returns the ids stored. As for a single run, a run
     * whose (job, slot time) already has an execution is left out by the unique key.
     */
    Set<String> insertRunning(DbExecute tx, List<NewRun> runs, Instant now) {
        if (runs.isEmpty()) {
            return Set.of();
        }
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < runs.size(); i++) {
            values.append(i == 0 ? "" : ", ").append("(:id").append(i).append(", :job").append(i).append(", :trg")
                    .append(i).append(", :at").append(i).append(", :at").append(i).append(", 'running', 0, :lease")
                    .append(i).append(", :at").append(i).append(", :now, :now, :node)");
        }
        DbStatementDml insert = tx.createInsert("INSERT INTO executions (id, job_id, run_trigger, scheduled_for, "
                + "slot_time, status, attempt_count, lease_until, due_at, created_at, updated_at, node_id) VALUES "
                + values + " ON CONFLICT DO NOTHING").addParam("now", Rows.at(now)).addParam("node", nodeId);
        for (int i = 0; i < runs.size(); i++) {
            NewRun run = runs.get(i);
            insert.addParam("id" + i, run.id())
                    .addParam("job" + i, run.jobId())
                    .addParam("trg" + i, run.trigger().wireName())
                    .addParam("at" + i, Rows.at(run.scheduledFor()))
                    .addParam("lease" + i, Rows.at(run.leaseUntil()));
        }
        List<String> ids = runs.stream().map(NewRun::id).toList();
        return insert.execute() == runs.size() ? Set.copyOf(ids) : existing(tx, ids);
    }

    /**
     * A single node that starts again holds no run in memory, so every lease in the database is stale: they end now
     * and the first tick takes those runs over, instead of waiting out leases of up to a minute and more.
     */
    int releaseAllLeases(Instant now) {
        return (int) db.execute().createUpdate("UPDATE executions SET lease_until = :now "
                        + "WHERE lease_until > :now AND status = 'running'")
                .addParam("now", Rows.at(now))
                .execute();
    }

    /** Renews the leases of running executions this node still holds (and no other node took over). */
    void extendLeases(List<String> executionIds, Instant leaseUntil) {
        Rows.bindAll(db.execute().createUpdate("UPDATE executions SET lease_until = :lease WHERE id IN ("
                        + Rows.placeholders("e", executionIds.size()) + ") AND status = 'running' AND node_id = :node")
                .addParam("lease", Rows.at(leaseUntil))
                .addParam("node", nodeId), "e", executionIds)
                .execute();
    }

    /**
     * Ends the leases of the runs {@code node} claimed, so that any node takes them over at once (at their due time if
     * that is still ahead), with the same execution and attempt number.
     */
    public int handOn(DbExecute tx, String node, Instant now) {
        return (int) tx.createUpdate("UPDATE executions SET lease_until = :now "
                        + "WHERE lease_until > :now AND status = 'running' AND node_id = :node")
                .addParam("now", Rows.at(now))
                .addParam("node", node)
                .execute();
    }

    /** Running executions under a lease that has not run out, by the node that holds them. */
    public Map<String, Integer> runsInHand() {
        Map<String, Integer> counts = new HashMap<>();
        try (var rows = db.execute().createQuery("SELECT node_id, COUNT(*) AS runs FROM executions "
                        + "WHERE lease_until > :now AND status = 'running' AND node_id IS NOT NULL GROUP BY node_id")
                .addParam("now", Rows.at(clock.instant()))
                .execute()) {
            rows.forEach(row -> counts.put(Rows.string(row, "node_id"), (int) Rows.number(row, "runs")));
        }
        return counts;
    }

    /** When the earliest stored retry is due, on any node; empty when none is. One probe of the due-time index. */
    Optional<Instant> earliestRetry() {
        return db.execute().createGet("SELECT MIN(next_attempt_at) AS due FROM executions "
                        + "WHERE status = 'retry_scheduled'")
                .execute()
                .map(row -> Rows.instant(row, "due"));
    }

    /**
     * An execution whose next attempt is owed by whoever claims it: a retry that is due, or a run whose node's lease
     * ran out before its outcome was recorded (the node stopped, or gave up on it). {@code attemptCount}: attempts
     * recorded so far; {@code dueAt}: when the owed attempt is due.
     */
    record Owed(String id, String jobId, RunTrigger trigger, Instant scheduledFor, int attemptCount, Instant dueAt) {
    }

    /**
     * Locks what is owed, earliest due first: retries due before {@code horizon} (of enabled jobs: a paused job's
     * retry waits for the resume) and, when {@code leasesEndedBefore} is given, running executions whose lease ended
     * before it. Rows another claimer holds are skipped, so nodes claiming at once split them. Two statements, each
     * walking an index of live rows only (the two kinds are told apart by columns of their own).
     */
    List<Owed> lockOwed(DbExecute tx, Instant horizon, Instant leasesEndedBefore, int limit) {
        List<Owed> owed = new ArrayList<>(lockOwed(tx, "SELECT e.id, e.job_id, e.run_trigger, e.scheduled_for, "
                + "e.attempt_count, e.next_attempt_at AS owed_at FROM executions e "
                + "WHERE e.next_attempt_at < :before AND e.status = 'retry_scheduled' "
                + "AND EXISTS (SELECT 1 FROM jobs j WHERE j.id = e.job_id AND j.enabled = TRUE) "
                + "ORDER BY e.next_attempt_at, e.id LIMIT :limit FOR UPDATE SKIP LOCKED", horizon, limit));
        if (leasesEndedBefore != null && owed.size() < limit) {
            // Its attempt was cut off or never started; it is due when it was due (a run claimed early whose node
            // stopped is still sent at its time, never earlier).
            owed.addAll(lockOwed(tx, "SELECT e.id, e.job_id, e.run_trigger, e.scheduled_for, e.attempt_count, "
                    + "COALESCE(e.due_at, e.scheduled_for) AS owed_at FROM executions e "
                    + "WHERE e.lease_until < :before AND e.status = 'running' "
                    + "ORDER BY e.lease_until, e.id LIMIT :limit FOR UPDATE SKIP LOCKED", leasesEndedBefore,
                    limit - owed.size()));
        }
        return owed;
    }

    private static List<Owed> lockOwed(DbExecute tx, String sql, Instant before, int limit) {
        try (var rows = tx.createQuery(sql).addParam("before", Rows.at(before)).addParam("limit", limit).execute()) {
            return rows.map(row -> new Owed(
                    Rows.string(row, "id"),
                    Rows.string(row, "job_id"),
                    RunTrigger.fromWire(Rows.string(row, "run_trigger")),
                    Rows.instant(row, "scheduled_for"),
                    Rows.integer(row, "attempt_count"),
                    Rows.instant(row, "owed_at"))).toList();
        }
    }

    /** An owed execution this node takes: running here under a lease until {@code leaseUntil}. */
    record OwedClaim(Owed owed, Instant leaseUntil) {
    }

    /** Takes what this transaction locked ({@link #lockOwed}) for this node: one statement for all. */
    void claimOwed(DbExecute tx, List<OwedClaim> claims, Instant now) {
        if (claims.isEmpty()) {
            return;
        }
        StringBuilder lease = new StringBuilder("CASE id");
        StringBuilder due = new StringBuilder("CASE id");
        for (int i = 0; i < claims.size(); i++) {
            lease.append(" WHEN :e").append(i).append(" THEN :l").append(i);
            due.append(" WHEN :e").append(i).append(" THEN :d").append(i);
        }
        DbStatementDml update = tx.createUpdate("UPDATE executions SET status = 'running', lease_until = "
                + lease + " END, due_at = " + due + " END, next_attempt_at = NULL, node_id = :node, updated_at = :now "
                + "WHERE id IN (" + Rows.placeholders("e", claims.size()) + ") "
                + "AND status IN ('retry_scheduled', 'running')")
                .addParam("node", nodeId)
                .addParam("now", Rows.at(now));
        for (int i = 0; i < claims.size(); i++) {
            OwedClaim claim = claims.get(i);
            update.addParam("e" + i, claim.owed().id())
                    .addParam("l" + i, Rows.at(claim.leaseUntil()))
                    .addParam("d" + i, Rows.at(claim.owed().dueAt()));
        }
        long taken = update.execute();
        if (taken != claims.size()) {
            // The rows are locked by this transaction, so this means they were not locked: fail the whole claim.
            throw new IllegalStateException("claimed " + taken + " of " + claims.size() + " locked executions");
        }
    }

    /**
     * Hands back a claimed attempt that never started (a graceful stop, or its job was paused or changed): a first
     * attempt becomes claimable at once by any node, a retry is scheduled again for its due time.
     */
    void release(ClaimedRun run, Instant now) {
        if (run.attemptNumber() == 1) {
            db.execute().createUpdate("UPDATE executions SET lease_until = :now WHERE id = :id AND status = 'running' "
                            + "AND attempt_count = 0")
                    .addParam("now", Rows.at(now))
                    .addParam("id", run.executionId())
                    .execute();
        } else {
            db.execute().createUpdate("UPDATE executions SET status = 'retry_scheduled', next_attempt_at = :due, "
                            + "lease_until = NULL, updated_at = :now WHERE id = :id AND status = 'running' AND attempt_count = :recorded")
                    .addParam("due", Rows.at(run.dueAt()))
                    .addParam("now", Rows.at(now))
                    .addParam("id", run.executionId())
                    .addParam("recorded", run.attemptNumber() - 1)
                    .execute();
        }
    }

    /** Removes a claimed run that was cancelled before it started (paused, rescheduled or deleted job). */
    void deleteUnstarted(String executionId) {
        db.execute().createDelete("DELETE FROM executions WHERE id = :id AND status = 'running' AND attempt_count = 0")
                .addParam("id", executionId)
                .execute();
    }

    /** Which of these executions still exist (their job may have been deleted meanwhile); one query. */
    Set<String> existing(DbExecute tx, Collection<String> executionIds) {
        if (executionIds.isEmpty()) {
            return Set.of();
        }
        List<String> ids = List.copyOf(executionIds);
        try (var rows = Rows.bindAll(tx.createQuery("SELECT id FROM executions WHERE id IN ("
                + Rows.placeholders("e", ids.size()) + ")"), "e", ids).execute()) {
            return rows.map(row -> Rows.string(row, "id")).collect(Collectors.toSet());
        }
    }

    void insertAttempt(DbExecute tx, String executionId, int number, AttemptResult result) {
        attemptLog.insert(tx, executionId, number, result);
    }

    void insertAttempts(DbExecute tx, List<AttemptLog.Entry> attempts) {
        attemptLog.insertAll(tx, attempts);
    }

    /** That attempt {@code attemptNumber} of an execution ended, and what comes next. */
    record Finish(String executionId, int attemptNumber, ExecutionStatus status, Instant nextAttemptAt) {
    }

    /**
     * {@link #finish} for many executions, one statement for all that end the same way (the same status, attempt
     * number and next attempt). False as soon as one of them was already recorded: the caller must then roll back.
     */
    boolean finishAll(DbExecute tx, List<Finish> finishes, Instant now) {
        Map<Finish, List<String>> byEnding = new LinkedHashMap<>();
        for (Finish f : finishes) {
            byEnding.computeIfAbsent(new Finish(null, f.attemptNumber(), f.status(), f.nextAttemptAt()),
                    k -> new ArrayList<>()).add(f.executionId());
        }
        for (Map.Entry<Finish, List<String>> group : byEnding.entrySet()) {
            Finish ending = group.getKey();
            List<String> ids = group.getValue();
            DbStatementDml update = tx.createUpdate("UPDATE executions SET status = :status, "
                            + "attempt_count = :attempt_count, next_attempt_at = :next_attempt_at, lease_until = NULL, "
                            + "updated_at = :now "
                            + "WHERE id IN (" + Rows.placeholders("e", ids.size()) + ") AND status = 'running' "
                            + "AND attempt_count = :recorded")
                    .addParam("status", ending.status().wireName())
                    .addParam("attempt_count", ending.attemptNumber())
                    .addParam("recorded", ending.attemptNumber() - 1)
                    .addParam("now", Rows.at(now));
            Rows.nullable(update, "next_attempt_at", Rows.at(ending.nextAttemptAt()));
            if (Rows.bindAll(update, "e", ids).execute() != ids.size()) {
                return false;
            }
        }
        return true;
    }


    /**
     * Records that attempt {@code attemptNumber} ended and what comes next. False when that attempt was already
     * recorded (a node that lost its lease finished it too): the first record stands.
     */
    boolean finish(DbExecute tx, String executionId, int attemptNumber, ExecutionStatus status, Instant nextAttemptAt,
                   Instant now) {
        return finishAll(tx, List.of(new Finish(executionId, attemptNumber, status, nextAttemptAt)), now);
    }

    Optional<Execution> find(String id) {
        Optional<DbRow> row = db.execute().createGet("SELECT " + COLUMNS + " FROM executions WHERE id = :id")
                .addParam("id", id)
                .execute();
        return row.map(r -> withAttempts(List.of(r)).getFirst());
    }

    List<Execution> list(String jobId, ExecutionStatus status, String cursor, int limit) {
        // Newest first: people look at executions to see what just happened.
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM executions WHERE 1 = 1");
        if (cursor != null) {
            sql.append(" AND id < :cursor");
        }
        if (jobId != null) {
            sql.append(" AND job_id = :job_id");
        }
        if (status == ExecutionStatus.RETRY_SCHEDULED) {
            sql.append(" AND (status = :status OR " + CLAIMED_RETRY + ")");
        } else if (status == ExecutionStatus.RUNNING) {
            sql.append(" AND status = :status AND NOT " + CLAIMED_RETRY);
        } else if (status != null) {
            sql.append(" AND status = :status");
        }
        sql.append(" ORDER BY id DESC LIMIT :limit");
        DbStatementQuery query = db.execute().createQuery(sql.toString()).addParam("limit", limit);
        if (status == ExecutionStatus.RETRY_SCHEDULED || status == ExecutionStatus.RUNNING) {
            query.addParam("now", Rows.at(clock.instant()));
        }
        if (cursor != null) {
            query.addParam("cursor", cursor);
        }
        if (jobId != null) {
            query.addParam("job_id", jobId);
        }
        if (status != null) {
            query.addParam("status", status.wireName());
        }
        List<DbRow> rows;
        try (var stream = query.execute()) {
            rows = stream.toList();
        }
        return withAttempts(rows);
    }

    int deleteCreatedBefore(Instant cutoff) {
        return (int) db.execute().createDelete("DELETE FROM executions WHERE created_at < :cutoff AND status <> 'running'")
                .addParam("cutoff", Rows.at(cutoff))
                .execute();
    }

    private List<Execution> withAttempts(List<DbRow> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<String, List<StoredAttempt>> attempts = attemptLog.read(db.execute(),
                rows.stream().map(row -> Rows.string(row, "id")).toList());
        Instant now = clock.instant();
        List<Execution> executions = new ArrayList<>(rows.size());
        for (DbRow row : rows) {
            String id = Rows.string(row, "id");
            ExecutionStatus status = ExecutionStatus.fromWire(Rows.string(row, "status"));
            Instant nextAttemptAt = Rows.instant(row, "next_attempt_at");
            Instant dueAt = Rows.instant(row, "due_at");
            if (status == ExecutionStatus.RUNNING && Rows.integer(row, "attempt_count") > 0
                    && dueAt != null && dueAt.isAfter(now)) {
                status = ExecutionStatus.RETRY_SCHEDULED;
                nextAttemptAt = dueAt;
            }
            executions.add(new Execution(
                    id,
                    Rows.string(row, "job_id"),
                    RunTrigger.fromWire(Rows.string(row, "run_trigger")),
                    Rows.instant(row, "scheduled_for"),
                    status,
                    nextAttemptAt,
                    List.copyOf(attempts.getOrDefault(id, List.of())),
                    Rows.instant(row, "created_at")));
        }
        return executions;
    }
}
