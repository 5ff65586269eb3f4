package dev.cronhook.incident.checks;

import dev.cronhook.common.cron.CronCache;
import dev.cronhook.common.db.Rows;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbStatementDml;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** The SQL of checks, their pings and their flips. */
public final class CheckRepository {
    /** Pings listed, and kept, per check. */
    public static final int PINGS_KEPT = 100;
    /** Pings beyond {@link #PINGS_KEPT} are deleted every this many pings, not on every one. */
    private static final int PRUNE_EVERY = 20;
    private static final String COLUMNS = "id, ping_key, name, period_seconds, cron, timezone, grace_seconds, "
            + "integration_id, tags, status, last_ping_at, last_start_at, last_duration_ms, next_expected_at, due_at, "
            + "pings, version, created_at, updated_at";
    private static final String PING_COLUMNS = "check_id, n, kind, exit_code, method, remote_addr, user_agent, body, "
            + "duration_ms, created_at";
    private static final String FLIP_COLUMNS = "check_id, n, from_status, to_status, reason, created_at";

    private final DbClient db;
    /** Every ping and evaluation reads its check, and a cron check's schedule with it. */
    private final CronCache crons = new CronCache();

    public CheckRepository(DbClient db) {
        this.db = db;
    }

    public void insert(Check check) {
        DbStatementDml insert = db.execute().createInsert("INSERT INTO checks (" + COLUMNS + ") VALUES (:id, "
                + ":ping_key, :name, :period_seconds, :cron, :timezone, :grace_seconds, :integration_id, :tags, "
                + ":status, :last_ping_at, :last_start_at, :last_duration_ms, :next_expected_at, :due_at, :pings, "
                + ":version, :created_at, :updated_at)")
                .addParam("id", check.id())
                .addParam("ping_key", check.pingKey())
                .addParam("created_at", Rows.at(check.createdAt()));
        bind(insert, check).execute();
    }

    /**
     * Writes {@code after} over the stored row if that is still at {@code after}'s version minus one: true for the
     * one caller whose read was the latest, on any number of nodes.
     */
    public boolean update(DbExecute exec, Check after) {
        DbStatementDml update = exec.createNamedUpdate("check-update", "UPDATE checks SET name = :name, "
                        + "period_seconds = :period_seconds, cron = :cron, timezone = :timezone, "
                        + "grace_seconds = :grace_seconds, integration_id = :integration_id, tags = :tags, "
                        + "status = :status, last_ping_at = :last_ping_at, last_start_at = :last_start_at, "
                        + "last_duration_ms = :last_duration_ms, next_expected_at = :next_expected_at, "
                        + "due_at = :due_at, pings = :pings, version = :version, updated_at = :updated_at "
                        + "WHERE id = :id AND version = :read_version")
                .addParam("id", after.id())
                .addParam("read_version", after.version() - 1);
        return bind(update, after).execute() == 1;
    }

    private static DbStatementDml bind(DbStatementDml statement, Check check) {
        statement.addParam("name", check.name())
                .addParam("grace_seconds", check.grace().toSeconds())
                .addParam("tags", check.tags())
                .addParam("status", check.status().wireName())
                .addParam("pings", check.pings())
                .addParam("version", check.version())
                .addParam("updated_at", Rows.at(check.updatedAt()));
        switch (check.schedule()) {
            case CheckSchedule.Every every -> statement.addParam("period_seconds", every.period().toSeconds());
            case CheckSchedule.Cron cron -> statement.addParam("cron", cron.cron().expression())
                    .addParam("timezone", cron.cron().zone().getId());
        }
        Rows.nullable(statement, "integration_id", check.integrationId());
        Rows.nullable(statement, "last_ping_at", Rows.at(check.lastPingAt()));
        Rows.nullable(statement, "last_start_at", Rows.at(check.lastStartAt()));
        Rows.nullable(statement, "last_duration_ms", check.lastDurationMs());
        Rows.nullable(statement, "next_expected_at", Rows.at(check.nextExpectedAt()));
        Rows.nullable(statement, "due_at", Rows.at(check.dueAt()));
        return statement;
    }

    public Optional<Check> find(String id) {
        return find(db.execute(), id);
    }

    public Optional<Check> find(DbExecute exec, String id) {
        return exec.createNamedGet("check-find", "SELECT " + COLUMNS + " FROM checks WHERE id = :id")
                .addParam("id", id)
                .execute()
                .map(this::read);
    }

    /** The check a ping URL names, its row locked until the transaction ends. */
    public Optional<Check> findByPingKeyForUpdate(DbExecute tx, String pingKey) {
        return tx.createNamedGet("check-ping-find", "SELECT " + COLUMNS + " FROM checks WHERE ping_key = :ping_key "
                        + "FOR UPDATE")
                .addParam("ping_key", pingKey)
                .execute()
                .map(this::read);
    }

    /** Newest first. */
    public List<Check> list(String cursor, int limit) {
        var query = db.execute().createQuery("SELECT " + COLUMNS + " FROM checks"
                        + (cursor == null ? "" : " WHERE id < :cursor") + " ORDER BY id DESC LIMIT :limit")
                .addParam("limit", limit);
        Rows.nullable(query, "cursor", cursor);
        try (var rows = query.execute()) {
            return rows.map(this::read).toList();
        }
    }

    public boolean delete(DbExecute exec, String id) {
        return exec.createDelete("DELETE FROM checks WHERE id = :id").addParam("id", id).execute() == 1;
    }

    /**
     * Checks whose deadline (or next period down) has come by {@code now}, earliest first: one probe of the due index
     * however many checks there are, and nothing read while none is due.
     */
    public List<Check> due(DbExecute exec, Instant now, int limit) {
        try (var rows = exec.createNamedQuery("check-due", "SELECT " + COLUMNS + " FROM checks WHERE due_at <= :now "
                        + "ORDER BY due_at LIMIT :limit")
                .addParam("now", Rows.at(now))
                .addParam("limit", limit)
                .execute()) {
            return rows.map(this::read).toList();
        }
    }

    /** Whether any check is due by {@code now}: the evaluator's idle probe, answered from the due index alone. */
    public boolean anyDue(DbExecute exec, Instant now) {
        return exec.createNamedGet("check-any-due", "SELECT due_at FROM checks WHERE due_at <= :now LIMIT 1")
                .addParam("now", Rows.at(now))
                .execute()
                .isPresent();
    }

    /** Stores a ping and, every {@link #PRUNE_EVERY} pings, deletes those older than the last {@link #PINGS_KEPT}. */
    public void insertPing(DbExecute tx, Ping ping) {
        DbStatementDml insert = tx.createNamedInsert("check-ping-insert", "INSERT INTO check_pings (" + PING_COLUMNS
                        + ") VALUES (:check_id, :n, :kind, :exit_code, :method, :remote_addr, :user_agent, :body, "
                        + ":duration_ms, :created_at)")
                .addParam("check_id", ping.checkId())
                .addParam("n", ping.number())
                .addParam("kind", ping.kind().wireName())
                .addParam("method", ping.method())
                .addParam("created_at", Rows.at(ping.createdAt()));
        Rows.nullable(insert, "exit_code", ping.exitCode());
        Rows.nullable(insert, "remote_addr", ping.remoteAddr());
        Rows.nullable(insert, "user_agent", ping.userAgent());
        Rows.nullable(insert, "body", ping.body());
        Rows.nullable(insert, "duration_ms", ping.durationMs());
        insert.execute();
        if (ping.number() > PINGS_KEPT && ping.number() % PRUNE_EVERY == 0) {
            tx.createNamedDelete("check-ping-prune", "DELETE FROM check_pings WHERE check_id = :check_id AND n <= :n")
                    .addParam("check_id", ping.checkId())
                    .addParam("n", ping.number() - PINGS_KEPT)
                    .execute();
        }
    }

    public void insertFlips(DbExecute tx, List<Flip> flips) {
        if (flips.isEmpty()) {
            return;
        }
        String row = "(?, ?, ?, ?, ?, ?)";
        DbStatementDml insert = tx.createNamedInsert("check-flips-" + flips.size(), "INSERT INTO check_flips ("
                + FLIP_COLUMNS + ") VALUES " + String.join(", ", Collections.nCopies(flips.size(), row)));
        for (Flip flip : flips) {
            insert.addParam(flip.checkId())
                    .addParam(flip.number())
                    .addParam(flip.from().wireName())
                    .addParam(flip.to().wireName())
                    .addParam(flip.reason().length() <= 300 ? flip.reason() : flip.reason().substring(0, 300))
                    .addParam(Rows.at(flip.createdAt()));
        }
        insert.execute();
    }

    /** The last {@link #PINGS_KEPT} pings, newest first. */
    public List<Ping> pings(String checkId) {
        try (var rows = db.execute().createQuery("SELECT " + PING_COLUMNS + " FROM check_pings "
                        + "WHERE check_id = :check_id ORDER BY n DESC LIMIT :limit")
                .addParam("check_id", checkId)
                .addParam("limit", PINGS_KEPT)
                .execute()) {
            return rows.map(row -> new Ping(Rows.string(row, "check_id"), Rows.number(row, "n"),
                    PingKind.fromWire(Rows.string(row, "kind")), Rows.integer(row, "exit_code"),
                    Rows.string(row, "method"), Rows.string(row, "remote_addr"), Rows.string(row, "user_agent"),
                    Rows.string(row, "body"), Rows.longOrNull(row, "duration_ms"), Rows.instant(row, "created_at")))
                    .toList();
        }
    }

    /** Newest first, {@code limit} at most. */
    public List<Flip> flips(String checkId, int limit) {
        try (var rows = db.execute().createQuery("SELECT " + FLIP_COLUMNS + " FROM check_flips "
                        + "WHERE check_id = :check_id ORDER BY n DESC LIMIT :limit")
                .addParam("check_id", checkId)
                .addParam("limit", limit)
                .execute()) {
            return rows.map(row -> new Flip(Rows.string(row, "check_id"), Rows.number(row, "n"),
                    CheckStatus.fromWire(Rows.string(row, "from_status")),
                    CheckStatus.fromWire(Rows.string(row, "to_status")), Rows.string(row, "reason"),
                    Rows.instant(row, "created_at"))).toList();
        }
    }

    /**
     * Retention: up to {@code limit} pings and {@code limit} flips older than {@code cutoff}, oldest first. The rows go
     * by key, found through the {@code created_at} index in its order: a plain range delete would read the whole table
     * under the generic plan of a prepared statement.
     */
    public int deletePingsAndFlipsBefore(Instant cutoff, int limit) {
        long deleted = 0;
        for (String table : List.of("check_pings", "check_flips")) {
            deleted += db.execute().createDelete("DELETE FROM " + table + " WHERE (check_id, n) IN (SELECT check_id, n "
                            + "FROM " + table + " WHERE created_at < :cutoff ORDER BY created_at LIMIT :limit)")
                    .addParam("cutoff", Rows.at(cutoff))
                    .addParam("limit", limit)
                    .execute();
        }
        return (int) deleted;
    }

    private Check read(DbRow row) {
        Object period = Rows.raw(row, "period_seconds");
        CheckSchedule schedule = period != null
                ? new CheckSchedule.Every(Duration.ofSeconds(((Number) period).longValue()))
                : new CheckSchedule.Cron(crons.get(Rows.string(row, "cron"),
                        ZoneId.of(Rows.string(row, "timezone"))));
        return new Check(Rows.string(row, "id"), Rows.string(row, "ping_key"), Rows.string(row, "name"), schedule,
                Duration.ofSeconds(Rows.number(row, "grace_seconds")), Rows.string(row, "integration_id"),
                Rows.string(row, "tags"), CheckStatus.fromWire(Rows.string(row, "status")),
                Rows.instant(row, "last_ping_at"), Rows.instant(row, "last_start_at"),
                Rows.longOrNull(row, "last_duration_ms"), Rows.instant(row, "next_expected_at"),
                Rows.instant(row, "due_at"), Rows.number(row, "pings"), Rows.number(row, "version"),
                Rows.instant(row, "created_at"), Rows.instant(row, "updated_at"));
    }
}
