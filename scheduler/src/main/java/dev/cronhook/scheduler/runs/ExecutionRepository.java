package dev.cronhook.scheduler.runs;

import dev.cronhook.common.db.Rows;
import dev.cronhook.common.db.Transactions;
import dev.cronhook.delivery.attempts.AttemptLog;
import dev.cronhook.delivery.attempts.AttemptResult;
import dev.cronhook.delivery.attempts.StoredAttempt;
import dev.cronhook.scheduler.jobs.Concurrency;
import dev.cronhook.scheduler.jobs.Job;
import dev.cronhook.scheduler.jobs.JobRepository;
import dev.cronhook.scheduler.jobs.PlannedRuns;
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
            "id, job_id, run_trigger, scheduled_for, COALESCE(fire_at, scheduled_for) AS fire_at, status, skip_reason, "
                    + "attempt_count, next_attempt_at, due_at, created_at";
    /**
     * A retry claimed ahead of its time waits in memory as a running row; until its time it is still a planned retry
     * to anyone who looks, so reads and the status filter show it as one.
     */
    private static final String CLAIMED_RETRY = "(status = 'running' AND attempt_count > 0 AND due_at > :now)";

    private final DbClient db;
    private final Clock clock;
    private final String nodeId;
    private final AttemptLog attemptLog;
    private final JobRepository jobs;
    private final CallbackRepository callbacks = new CallbackRepository();

    /** {@code nodeId}: this node, recorded on the executions it claims and the attempts it makes. */
    public ExecutionRepository(DbClient db, JobRepository jobs, Clock clock, String nodeId) {
        this.db = db;
        this.jobs = jobs;
        this.clock = clock;
        this.nodeId = nodeId;
        this.attemptLog = new AttemptLog("attempts", "execution_id", nodeId);
    }

    /**
     * Records a manual run, due now and waiting to be claimed like any other run that is due. Manual runs have no
     * slot time: they are never duplicates of each other.
     */
    void insertManual(DbExecute tx, String id, String jobId, Instant now) {
        tx.createInsert("INSERT INTO executions (id, job_id, run_trigger, scheduled_for, status, "
                        + "attempt_count, next_attempt_at, due_at, fire_at, created_at, updated_at) VALUES (:id, :job_id, '"
                        + RunTrigger.MANUAL.wireName() + "', :now, 'running', 0, :now, :now, :now, :now, :now)")
                .addParam("id", id)
                .addParam("job_id", jobId)
                .addParam("now", Rows.at(now))
                .execute();
    }

    /**
     * A run to record as claimed here: a planned run, whose slot is its scheduled time, or a manual one (none);
     * {@code fireAt}: when it is sent, its slot plus its job's jitter.
     */
    record NewRun(String id, String jobId, RunTrigger trigger, Instant scheduledFor, Instant fireAt,
                  Instant leaseUntil) {
    }

    /**
     * Records a batch of claimed runs with one statement and returns the ids stored. The unique (job, slot time) key
     * leaves out a run whose slot already has an execution, on any node.
     */
    Set<String> insertRunning(DbExecute tx, List<NewRun> runs, Instant now) {
        if (runs.isEmpty()) {
            return Set.of();
        }
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < runs.size(); i++) {
            values.append(i == 0 ? "" : ", ").append("(:id").append(i).append(", :job").append(i).append(", :trg")
                    .append(i).append(", :at").append(i).append(", :slot").append(i).append(", 'running', 0, :lease")
                    .append(i).append(", :fire").append(i).append(", :fire").append(i).append(", :now, :now, :node)");
        }
        DbStatementDml insert = tx.createInsert("INSERT INTO executions (id, job_id, run_trigger, scheduled_for, "
                + "slot_time, status, attempt_count, lease_until, due_at, fire_at, created_at, updated_at, node_id) VALUES "
                + values + " ON CONFLICT DO NOTHING").addParam("now", Rows.at(now)).addParam("node", nodeId);
        for (int i = 0; i < runs.size(); i++) {
            NewRun run = runs.get(i);
            insert.addParam("id" + i, run.id())
                    .addParam("job" + i, run.jobId())
                    .addParam("trg" + i, run.trigger().wireName())
                    .addParam("at" + i, Rows.at(run.scheduledFor()))
                    .addParam("fire" + i, Rows.at(run.fireAt()))
                    .addParam("lease" + i, Rows.at(run.leaseUntil()));
            Rows.nullable(insert, "slot" + i, run.trigger() == RunTrigger.MANUAL ? null : Rows.at(run.scheduledFor()));
        }
        List<String> ids = runs.stream().map(NewRun::id).toList();
        return insert.execute() == runs.size() ? Set.copyOf(ids) : existing(tx, ids);
    }

    /**
     * A single node that starts again holds no run in memory, so every lease in the database is stale: those runs
     * wait to be claimed now, instead of after leases of up to a minute and more.
     */
    int releaseAllLeases(Instant now) {
        return handBack(db.execute(), "", null, now);
    }

    /** Runs whose lease ran out before their outcome was recorded (their node stopped, or gave up on them). */
    int endLapsedLeases(Instant now) {
        return handBack(db.execute(), " AND lease_until < :now", null, now);
    }

    /** Renews the leases of running executions this node still holds (and no other node took over). */
    void extendLeases(List<String> executionIds, Instant leaseUntil) {
        Rows.bindAll(db.execute().createUpdate("UPDATE executions SET lease_until = :lease WHERE id IN ("
                        + Rows.placeholders("e", executionIds.size()) + ") AND status = 'running' AND node_id = :node")
                .addParam("lease", Rows.at(leaseUntil))
                .addParam("node", nodeId), "e", executionIds)
                .execute();
    }

    /** Hands back the runs {@code node} claimed (it died): any node takes them over at its next tick. */
    public int handOn(DbExecute tx, String node, Instant now) {
        return handBack(tx, " AND node_id = :node", node, now);
    }

    /**
     * Running executions under a lease wait to be claimed again, with the same execution and attempt number, at their
     * due time (never earlier: a run claimed ahead whose node stopped is still sent at its time). An attempt awaiting
     * its callback that was taken to be ended waits again for its deadline (or for now, when its callback came).
     */
    private static int handBack(DbExecute tx, String condition, String node, Instant now) {
        DbStatementDml update = tx.createUpdate("UPDATE executions SET next_attempt_at = COALESCE(due_at, "
                        + "scheduled_for), lease_until = NULL, updated_at = :now WHERE lease_until IS NOT NULL "
                        + "AND status IN ('running', 'awaiting_callback')" + condition)
                .addParam("now", Rows.at(now));
        if (node != null) {
            update.addParam("node", node);
        }
        return (int) update.execute();
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

    /**
     * A run that waits to be claimed: a job's planned run, a manual run, a retry, or a run handed back; with its job.
     * {@code attemptCount}: attempts recorded so far; {@code dueAt}: when its next attempt is due;
     * {@code catchUpLast}: for a planned run walking a catch-up, the last missed slot it goes up to (else null);
     * {@code awaitingCallback}: an attempt awaiting its callback, due to be ended (its callback came, or its deadline).
     */
    record Due(String id, boolean planned, RunTrigger trigger, Instant scheduledFor, int attemptCount, Instant dueAt,
               Instant catchUpLast, Job job, boolean awaitingCallback) {
    }

    /**
     * The one pick: locks the runs due in [{@code from}, {@code horizon}), earliest first, with their jobs. Rows
     * another claimer holds (the run or its job) are skipped, not waited for, so nodes claiming at once split what is
     * due, and an API write of the job waits for the claim or the claim leaves the run to the next tick. A paused
     * job's runs wait for the resume, except a manual run that has not been attempted: it runs whatever the job's
     * state. An attempt awaiting its callback is picked once it is due, not ahead: there is nothing to send, and an
     * early pick would end it before a callback still in time. One index range of waiting rows only.
     */
    List<Due> lockDue(DbExecute tx, Instant from, Instant horizon, Instant now, int limit) {
        try (var rows = tx.createQuery("SELECT e.id AS e_id, e.status AS e_status, e.run_trigger AS e_trigger, "
                        + "e.scheduled_for AS e_scheduled_for, e.attempt_count AS e_attempts, e.next_attempt_at AS e_due, "
                        + "e.due_at AS e_last, "
                        + JobRepository.columns("j") + " FROM executions e JOIN jobs j ON j.id = e.job_id "
                        + "WHERE e.next_attempt_at >= :from AND e.next_attempt_at < :horizon "
                        + "AND (j.enabled = TRUE OR e.status = 'awaiting_callback' "
                        + "OR (e.run_trigger = 'manual' AND e.attempt_count = 0)) "
                        + "AND (e.status <> 'awaiting_callback' OR e.next_attempt_at <= :now) "
                        + "ORDER BY e.next_attempt_at, e.id LIMIT :limit FOR UPDATE SKIP LOCKED")
                .addParam("from", Rows.at(from))
                .addParam("now", Rows.at(now))
                .addParam("horizon", Rows.at(horizon))
                .addParam("limit", limit)
                .execute()) {
            return rows.map(row -> {
                String status = Rows.string(row, "e_status");
                boolean planned = PlannedRuns.STATUS.equals(status);
                return new Due(
                        Rows.string(row, "e_id"),
                        planned,
                        RunTrigger.fromWire(Rows.string(row, "e_trigger")),
                        Rows.instant(row, "e_scheduled_for"),
                        Rows.integer(row, "e_attempts"),
                        Rows.instant(row, "e_due"),
                        planned ? Rows.instant(row, "e_last") : null,
                        jobs.read(row).job(),
                        ExecutionStatus.AWAITING_CALLBACK.wireName().equals(status));
            }).toList();
        }
    }

    /** A waiting execution this node takes: running here under a lease until {@code leaseUntil}. */
    record Take(Due due, Instant leaseUntil) {
    }

    /** Takes what this transaction locked ({@link #lockDue}) and is not a planned run: one statement for all. */
    void take(DbExecute tx, List<Take> takes, Instant now) {
        if (takes.isEmpty()) {
            return;
        }
        StringBuilder lease = new StringBuilder("CASE id");
        StringBuilder due = new StringBuilder("CASE id");
        for (int i = 0; i < takes.size(); i++) {
            lease.append(" WHEN :e").append(i).append(" THEN :l").append(i);
            due.append(" WHEN :e").append(i).append(" THEN :d").append(i);
        }
        // An attempt awaiting its callback is taken to be ended, not sent: it stays awaiting until that is recorded.
        DbStatementDml update = tx.createUpdate("UPDATE executions SET status = CASE status WHEN 'awaiting_callback' "
                + "THEN status ELSE 'running' END, lease_until = "
                + lease + " END, due_at = " + due + " END, next_attempt_at = NULL, node_id = :node, updated_at = :now "
                + "WHERE id IN (" + Rows.placeholders("e", takes.size()) + ") AND next_attempt_at IS NOT NULL")
                .addParam("node", nodeId)
                .addParam("now", Rows.at(now));
        for (int i = 0; i < takes.size(); i++) {
            Take take = takes.get(i);
            update.addParam("e" + i, take.due().id())
                    .addParam("l" + i, Rows.at(take.leaseUntil()))
                    .addParam("d" + i, Rows.at(take.due().dueAt()));
        }
        long taken = update.execute();
        if (taken != takes.size()) {
            // The rows are locked by this transaction, so this means they were not locked: fail the whole claim.
            throw new IllegalStateException("claimed " + taken + " of " + takes.size() + " locked executions");
        }
    }

    /**
     * Hands back a claimed attempt that never started (a graceful stop, or its job was paused or changed): a first
     * attempt waits to be claimed again by any node, a retry is scheduled again; both at their due time.
     */
    void release(ClaimedRun run, Instant now) {
        if (run.attemptNumber() == 1) {
            Transactions.inTransaction(db, tx -> {
                // The job row first, then the execution: the order of the overlap guard's admission.
                if (run.job().definition().concurrency() == Concurrency.FORBID) {
                    jobs.clearInFlight(tx, run.job().id(), run.executionId());
                }
                tx.createUpdate("UPDATE executions SET next_attempt_at = :due, lease_until = NULL, "
                                + "updated_at = :now WHERE id = :id AND status = 'running' AND attempt_count = 0")
                        .addParam("due", Rows.at(run.dueAt()))
                        .addParam("now", Rows.at(now))
                        .addParam("id", run.executionId())
                        .execute();
                return null;
            });
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

    /**
     * The status of the execution a {@code forbid} job let through last (a claimed retry shows as running); empty
     * when there is none, or it is gone.
     */
    Optional<ExecutionStatus> inFlightStatus(String jobId) {
        return db.execute().createGet("SELECT e.status FROM jobs j JOIN executions e ON e.id = j.in_flight_execution_id "
                        + "WHERE j.id = :id")
                .addParam("id", jobId)
                .execute()
                .map(row -> ExecutionStatus.fromWire(Rows.string(row, "status")));
    }

    CallbackRepository callbacks() {
        return callbacks;
    }

    /** The status of one execution as stored (a claimed retry shows as running); empty when it is gone. */
    Optional<ExecutionStatus> status(DbExecute tx, String id) {
        return tx.createGet("SELECT status FROM executions WHERE id = :id")
                .addParam("id", id)
                .execute()
                .map(row -> ExecutionStatus.fromWire(Rows.string(row, "status")));
    }

    /** A claimed first attempt ends unsent, for {@code reason}; false when it was taken back or deleted meanwhile. */
    boolean skip(DbExecute tx, String id, String reason, Instant now) {
        return tx.createUpdate("UPDATE executions SET status = 'skipped', skip_reason = :reason, lease_until = NULL, "
                        + "next_attempt_at = NULL, updated_at = :now WHERE id = :id AND status = 'running' "
                        + "AND attempt_count = 0")
                .addParam("reason", reason)
                .addParam("now", Rows.at(now))
                .addParam("id", id)
                .execute() == 1;
    }

    /**
     * An execution as a callback finds it, locked for the callback's transaction. {@code deadline}: for one awaiting
     * its callback, when the wait ends.
     */
    record State(String jobId, ExecutionStatus status, int attemptCount, Instant deadline) {
    }

    Optional<State> lockState(DbExecute tx, String id) {
        return tx.createGet("SELECT job_id, status, attempt_count, due_at FROM executions WHERE id = :id FOR UPDATE")
                .addParam("id", id)
                .execute()
                .map(row -> new State(Rows.string(row, "job_id"), ExecutionStatus.fromWire(Rows.string(row, "status")),
                        Rows.integer(row, "attempt_count"), Rows.instant(row, "due_at")));
    }

    /** Locks these executions for this transaction (the recorder, before it looks for their callbacks). */
    void lock(DbExecute tx, List<String> ids) {
        if (ids.isEmpty()) {
            return;
        }
        try (var rows = Rows.bindAll(tx.createQuery("SELECT id FROM executions WHERE id IN ("
                + Rows.placeholders("e", ids.size()) + ") FOR UPDATE"), "e", ids).execute()) {
            rows.forEach(row -> { });
        }
    }

    /** Attempts awaiting their callback whose callback came: due now, for the next pick to end them. */
    void endAwaitingNow(DbExecute tx, List<String> ids, Instant now) {
        if (ids.isEmpty()) {
            return;
        }
        // due_at keeps the deadline: a late callback is told so, and a pick that is handed back waits for it again.
        Rows.bindAll(tx.createUpdate("UPDATE executions SET next_attempt_at = :now, updated_at = :now "
                        + "WHERE id IN (" + Rows.placeholders("e", ids.size()) + ") AND status = 'awaiting_callback' "
                        + "AND next_attempt_at IS NOT NULL")
                .addParam("now", Rows.at(now)), "e", ids)
                .execute();
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

    /**
     * Attempts that awaited their callback end as {@code attempts} say: their outcome and error change; what their
     * request got (status, body, duration) stays.
     */
    void endAwaitedAttempts(DbExecute tx, List<AttemptLog.Entry> attempts) {
        for (AttemptLog.Entry attempt : attempts) {
            Rows.nullable(tx.createUpdate("UPDATE attempts SET outcome = :outcome, error = :error "
                            + "WHERE execution_id = :id AND number = :number AND outcome = 'awaiting_callback'")
                    .addParam("outcome", attempt.result().outcome().wireName())
                    .addParam("id", attempt.ownerId())
                    .addParam("number", attempt.number()), "error", attempt.result().error())
                    .execute();
        }
    }

    /** The attempts of these executions, read in this transaction. */
    Map<String, List<StoredAttempt>> attempts(DbExecute tx, List<String> executionIds) {
        return attemptLog.read(tx, executionIds);
    }

    /**
     * That attempt {@code attemptNumber} of an execution ended, and what comes next. {@code awaited}: the attempt was
     * awaiting its callback (else it was running); a status of {@code awaiting_callback} starts that wait.
     */
    record Finish(String executionId, int attemptNumber, ExecutionStatus status, Instant nextAttemptAt,
                  boolean awaited) {
        Finish(String executionId, int attemptNumber, ExecutionStatus status, Instant nextAttemptAt) {
            this(executionId, attemptNumber, status, nextAttemptAt, false);
        }
    }

    /**
     * {@link #finish} for many executions, one statement for all that end the same way (the same status, attempt
     * number and next attempt). False as soon as one of them was already recorded: the caller must then roll back.
     */
    boolean finishAll(DbExecute tx, List<Finish> finishes, Instant now) {
        Map<Finish, List<String>> byEnding = new LinkedHashMap<>();
        for (Finish f : finishes) {
            byEnding.computeIfAbsent(new Finish(null, f.attemptNumber(), f.status(), f.nextAttemptAt(), f.awaited()),
                    k -> new ArrayList<>()).add(f.executionId());
        }
        for (Map.Entry<Finish, List<String>> group : byEnding.entrySet()) {
            Finish ending = group.getKey();
            List<String> ids = group.getValue();
            // An attempt that starts waiting for its callback keeps its deadline as its due time too: a node that
            // takes it to end it and dies hands it back to wait for that deadline again (see handBack).
            boolean awaits = ending.status() == ExecutionStatus.AWAITING_CALLBACK;
            DbStatementDml update = tx.createUpdate("UPDATE executions SET status = :status, "
                            + "attempt_count = :attempt_count, next_attempt_at = :next_attempt_at, lease_until = NULL, "
                            + (awaits ? "due_at = :next_attempt_at, " : "") + "updated_at = :now "
                            + "WHERE id IN (" + Rows.placeholders("e", ids.size()) + ") AND status = '"
                            + (ending.awaited() ? "awaiting_callback" : "running") + "' AND attempt_count = :recorded")
                    .addParam("status", ending.status().wireName())
                    .addParam("attempt_count", ending.attemptNumber())
                    .addParam("recorded", ending.awaited() ? ending.attemptNumber() : ending.attemptNumber() - 1)
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
        Optional<DbRow> row = db.execute().createGet("SELECT " + COLUMNS + " FROM executions WHERE id = :id "
                        + "AND status <> '" + PlannedRuns.STATUS + "'")
                .addParam("id", id)
                .execute();
        return row.map(r -> withAttempts(List.of(r)).getFirst());
    }

    /** The newest execution of each of {@code jobIds} that has one (planned runs are not executions). */
    List<Execution> latestOf(List<String> jobIds) {
        if (jobIds.isEmpty()) {
            return List.of();
        }
        List<DbRow> rows;
        try (var stream = Rows.bindAll(db.execute().createQuery("SELECT " + COLUMNS + " FROM executions e "
                        + "WHERE e.job_id IN (" + Rows.placeholders("j", jobIds.size()) + ") AND e.id = (SELECT MAX(x.id) "
                        + "FROM executions x WHERE x.job_id = e.job_id AND x.status <> '" + PlannedRuns.STATUS + "')"),
                "j", jobIds).execute()) {
            rows = stream.toList();
        }
        return withAttempts(rows);
    }

    List<Execution> list(String jobId, ExecutionStatus status, String cursor, int limit) {
        // Newest first: people look at executions to see what just happened.
        // A planned run is a job's next run, not yet an execution.
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM executions WHERE status <> '"
                + PlannedRuns.STATUS + "'");
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
        return (int) db.execute().createDelete("DELETE FROM executions WHERE created_at < :cutoff "
                        + "AND status NOT IN ('running', 'awaiting_callback', '" + PlannedRuns.STATUS + "')")
                .addParam("cutoff", Rows.at(cutoff))
                .execute();
    }

    private List<Execution> withAttempts(List<DbRow> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        List<String> ids = rows.stream().map(row -> Rows.string(row, "id")).toList();
        Map<String, List<StoredAttempt>> attempts = attemptLog.read(db.execute(), ids);
        Map<String, List<Execution.Callback>> answered = new HashMap<>();
        for (CallbackRepository.Answer answer : callbacks.answers(db.execute(), ids)) {
            answered.computeIfAbsent(answer.executionId(), k -> new ArrayList<>())
                    .add(new Execution.Callback(answer.attemptNumber(), answer.report(), answer.receivedAt()));
        }
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
            // Awaiting its callback: no attempt is next; the wait ends at its deadline.
            Instant callbackDeadline = status == ExecutionStatus.AWAITING_CALLBACK ? dueAt : null;
            if (callbackDeadline != null) {
                nextAttemptAt = null;
            }
            executions.add(new Execution(
                    id,
                    Rows.string(row, "job_id"),
                    RunTrigger.fromWire(Rows.string(row, "run_trigger")),
                    Rows.instant(row, "scheduled_for"),
                    Rows.instant(row, "fire_at"),
                    status,
                    Rows.string(row, "skip_reason"),
                    nextAttemptAt,
                    List.copyOf(attempts.getOrDefault(id, List.of())),
                    List.copyOf(answered.getOrDefault(id, List.of())),
                    callbackDeadline,
                    Rows.instant(row, "created_at")));
        }
        return executions;
    }
}
