package dev.cronhook.scheduler.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cronhook.common.db.Rows;
import dev.cronhook.common.db.Transactions;
import dev.cronhook.delivery.signing.WebhookSecret;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbStatementDml;
import io.helidon.dbclient.DbStatementQuery;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The SQL of the jobs table and its row mapping. */
public final class JobRepository {
    /** The execution a {@code forbid} job let through last, null when none: it may have ended since. */
    public record InFlight(String executionId) {
    }

    /** A job together with the row version that conditional writes compare against. */
    public record StoredJob(Job job, long version) {
    }

    private static final String COLUMNS = "id, name, url, method, headers, body, body_is_json, cron, timezone, run_at, "
            + "end_at, pause_after_failures, concurrency, catch_up, jitter_seconds, completion, callback_timeout_seconds, timeout_seconds, enabled, status, next_run_at, paused_reason, missed_runs, signing_secret, previous_secret, previous_secret_until, "
            + "created_at, updated_at, version";
    private static final TypeReference<LinkedHashMap<String, String>> HEADER_MAP = new TypeReference<>() {
    };

    private final DbClient db;
    private final ObjectMapper json;

    public JobRepository(DbClient db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    /** Stores a new job with its planned run. */
    void insert(Job job) {
        Transactions.inTransaction(db, tx -> {
            bind(tx.createInsert("INSERT INTO jobs (" + COLUMNS + ") VALUES (:id, :name, :url, :method, :headers, "
                    + ":body, :body_is_json, :cron, :timezone, :run_at, :end_at, :pause_after_failures, :concurrency, :catch_up, :jitter_seconds, :completion, :callback_timeout_seconds, :timeout_seconds, :enabled, "
                    + ":status, :next_run_at, :paused_reason, 0, :signing_secret, :previous_secret, :previous_secret_until, :created_at, "
                    + ":updated_at, 0)"), job).execute();
            PlannedRuns.place(tx, job.id(), job.nextRunAt(), job.fireAt(), job.updatedAt());
            return null;
        });
    }

    /**
     * Writes the whole job, and moves its planned run to its next run, if nobody changed it since
     * {@code expectedVersion} (a claim moves it on too); false when somebody did.
     */
    boolean update(Job job, long expectedVersion) {
        return Transactions.inTransaction(db, tx -> {
            PlannedRuns.lock(tx, job.id());
            DbStatementDml update = tx.createUpdate("UPDATE jobs SET name = :name, url = :url, method = :method, "
                    + "headers = :headers, body = :body, body_is_json = :body_is_json, cron = :cron, "
                    + "timezone = :timezone, run_at = :run_at, end_at = :end_at, "
                    + "pause_after_failures = :pause_after_failures, concurrency = :concurrency, catch_up = :catch_up, jitter_seconds = :jitter_seconds, "
                    + "completion = :completion, callback_timeout_seconds = :callback_timeout_seconds, "
                    + "timeout_seconds = :timeout_seconds, "
                    + "enabled = :enabled, status = :status, next_run_at = :next_run_at, "
                    + "paused_reason = :paused_reason, signing_secret = :signing_secret, "
                    + "previous_secret = :previous_secret, previous_secret_until = :previous_secret_until, "
                    + "updated_at = :updated_at, version = version + 1 WHERE id = :id AND version = :expected_version");
            if (bind(update, job).addParam("expected_version", expectedVersion).execute() != 1) {
                return false;
            }
            PlannedRuns.place(tx, job.id(), job.nextRunAt(), job.fireAt(), job.updatedAt());
            if (!job.definition().enabled()) {
                // Paused: a catch-up it was walking ends too; resume does not replay (PRODUCT.md section 3).
                PlannedRuns.endCatchUps(tx, List.of(job.id()));
            }
            return true;
        });
    }

    public Optional<StoredJob> find(String id) {
        return db.execute().createGet("SELECT " + COLUMNS + " FROM jobs WHERE id = :id")
                .addParam("id", id)
                .execute()
                .map(this::read);
    }

    /** These jobs by id, read in one statement; ids of jobs that no longer exist are left out. */
    public Map<String, Job> findAll(DbExecute tx, List<String> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        List<String> distinct = ids.stream().distinct().toList();
        try (var rows = Rows.bindAll(tx.createQuery("SELECT " + COLUMNS + " FROM jobs WHERE id IN ("
                + Rows.placeholders("j", distinct.size()) + ")"), "j", distinct).execute()) {
            Map<String, Job> byId = new HashMap<>();
            rows.map(this::read).forEach(stored -> byId.put(stored.job().id(), stored.job()));
            return byId;
        }
    }

    /** @param nameContains a part of the name to find, any case; null for every job */
    List<Job> list(JobType type, Boolean enabled, String nameContains, String cursor, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM jobs WHERE id > :cursor");
        if (nameContains != null) {
            // Both sides lowered by the database: its idea of case is the one the names are stored in.
            sql.append(" AND LOWER(name) LIKE LOWER(:name) ESCAPE '!'");
        }
        if (type != null) {
            sql.append(type == JobType.CRON ? " AND cron IS NOT NULL" : " AND cron IS NULL");
        }
        if (enabled != null) {
            sql.append(" AND enabled = :enabled");
        }
        sql.append(" ORDER BY id LIMIT :limit");
        DbStatementQuery query = db.execute().createQuery(sql.toString())
                .addParam("cursor", cursor == null ? "" : cursor)
                .addParam("limit", limit);
        if (enabled != null) {
            query.addParam("enabled", enabled);
        }
        if (nameContains != null) {
            // LIKE's own characters match themselves.
            query.addParam("name", "%" + nameContains.replace("!", "!!")
                    .replace("%", "!%").replace("_", "!_") + "%");
        }
        try (var rows = query.execute()) {
            return rows.map(row -> read(row).job()).toList();
        }
    }

    /** Deletes the job; its executions, planned run included, go with it. */
    boolean delete(String id) {
        return Transactions.inTransaction(db, tx -> {
            PlannedRuns.lock(tx, id);
            return tx.createDelete("DELETE FROM jobs WHERE id = :id").addParam("id", id).execute() == 1;
        });
    }

    /**
     * Where a claim moves a job: its next run (null when none), when that run is sent ({@code fireAt}, the run plus
     * the job's jitter) and, for a one-time job, its status.
     */
    public record Advance(String jobId, Instant nextRunAt, Instant fireAt, OnceStatus status) {
    }

    /**
     * Moves jobs whose planned runs this transaction claimed (it holds both rows) past those runs: one statement for all the jobs
     * that move to the same place (every one-time job, and cron jobs sharing their next time), instead of one per job.
     */
    public void advance(DbExecute tx, List<Advance> advances, Instant now) {
        Map<Advance, List<String>> byPlace = new LinkedHashMap<>();
        for (Advance a : advances) {
            byPlace.computeIfAbsent(new Advance(null, a.nextRunAt(), a.fireAt(), a.status()), k -> new ArrayList<>())
                    .add(a.jobId());
        }
        byPlace.forEach((place, ids) -> {
            DbStatementDml update = tx.createUpdate("UPDATE jobs SET next_run_at = :next_run_at, status = :status, "
                    + "updated_at = :now, version = version + 1 WHERE id IN (" + Rows.placeholders("j", ids.size()) + ")")
                    .addParam("now", Rows.at(now));
            Rows.nullable(update, "next_run_at", Rows.at(place.nextRunAt()));
            Rows.nullable(update, "status", place.status() == null ? null : place.status().wireName());
            long moved = Rows.bindAll(update, "j", ids).execute();
            if (moved != ids.size()) {
                // The rows are locked by this transaction, so this means they were not locked: fail the whole claim.
                throw new IllegalStateException("advanced " + moved + " of " + ids.size() + " locked jobs");
            }
            if (place.nextRunAt() == null) {
                PlannedRuns.removeAll(tx, ids);
            } else {
                PlannedRuns.moveAll(tx, ids, place.nextRunAt(), place.fireAt(), now);
            }
        });
    }

    /** Adds to a job's {@code missed_runs}: slots it missed and its {@code catch_up} policy did not run. */
    public void addMissedRuns(DbExecute tx, String jobId, long count) {
        tx.createUpdate("UPDATE jobs SET missed_runs = missed_runs + :count WHERE id = :id")
                .addParam("count", count)
                .addParam("id", jobId)
                .execute();
    }

    /**
     * For a {@code forbid} job whose run's moment came: locks the job row, so that such decisions on any node about
     * one job are taken one after another, and returns the execution it last let through. Empty when the job is gone.
     */
    public Optional<InFlight> lockInFlight(DbExecute tx, String jobId) {
        return tx.createGet("SELECT in_flight_execution_id FROM jobs WHERE id = :id FOR UPDATE")
                .addParam("id", jobId)
                .execute()
                .map(row -> new InFlight(Rows.string(row, "in_flight_execution_id")));
    }

    /** {@code executionId} is now the job's execution in flight (see {@link #lockInFlight}). */
    public void setInFlight(DbExecute tx, String jobId, String executionId) {
        tx.createUpdate("UPDATE jobs SET in_flight_execution_id = :execution WHERE id = :id")
                .addParam("execution", executionId)
                .addParam("id", jobId)
                .execute();
    }

    /** A run let through was handed back unsent: it no longer holds its job's other runs off. */
    public void clearInFlight(DbExecute tx, String jobId, String executionId) {
        tx.createUpdate("UPDATE jobs SET in_flight_execution_id = NULL WHERE id = :id "
                        + "AND in_flight_execution_id = :execution")
                .addParam("execution", executionId)
                .addParam("id", jobId)
                .execute();
    }

    /**
     * Moves one-time jobs on after an attempt of their scheduled execution (succeeded, retrying or failed), unless a
     * job was rescheduled since.
     */
    public void settleOnce(DbExecute tx, List<String> ids, OnceStatus status, Instant now) {
        if (ids.isEmpty()) {
            return;
        }
        Rows.bindAll(tx.createUpdate("UPDATE jobs SET status = :status, updated_at = :now, version = version + 1 "
                        + "WHERE id IN (" + Rows.placeholders("j", ids.size()) + ") AND status IN ('running', 'retrying')")
                .addParam("status", status.wireName())
                .addParam("now", Rows.at(now)), "j", ids)
                .execute();
    }

    /** Which of these jobs' last finished execution failed for good (see {@link #setFailing}). */
    public Set<String> failing(DbExecute tx, List<String> ids) {
        if (ids.isEmpty()) {
            return Set.of();
        }
        try (var rows = Rows.bindAll(tx.createQuery("SELECT id FROM jobs WHERE id IN ("
                + Rows.placeholders("j", ids.size()) + ") AND failing = TRUE"), "j", ids).execute()) {
            return rows.map(row -> Rows.string(row, "id")).collect(Collectors.toSet());
        }
    }

    /**
     * Records whether the jobs' last execution failed for good, which the built-in incident loop needs to hear of
     * only when it changes (a failing job recovered, or a healthy one failed).
     */
    public void setFailing(DbExecute tx, List<String> ids, boolean failing) {
        if (ids.isEmpty()) {
            return;
        }
        Rows.bindAll(tx.createUpdate("UPDATE jobs SET failing = :failing WHERE id IN ("
                + Rows.placeholders("j", ids.size()) + ")").addParam("failing", failing), "j", ids).execute();
    }

    /** A job's count of failed executions in a row, its threshold now (null: none), and whether it runs. */
    public record Streak(int failures, Integer pauseAfter, boolean enabled) {
    }

    /** The failure streaks of these jobs, read in one statement; jobs that no longer exist are left out. */
    public Map<String, Streak> failureStreaks(DbExecute tx, List<String> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        try (var rows = Rows.bindAll(tx.createQuery("SELECT id, failure_streak, pause_after_failures, enabled "
                + "FROM jobs WHERE id IN (" + Rows.placeholders("j", ids.size()) + ")"), "j", ids).execute()) {
            Map<String, Streak> streaks = new HashMap<>();
            rows.forEach(row -> streaks.put(Rows.string(row, "id"), new Streak(Rows.integer(row, "failure_streak"),
                    Rows.integer(row, "pause_after_failures"), Rows.bool(row, "enabled"))));
            return streaks;
        }
    }

    /** Sets the failure streak of jobs: one statement per distinct count. */
    public void setFailureStreaks(DbExecute tx, Map<String, Integer> streaks) {
        Map<Integer, List<String>> byCount = new HashMap<>();
        streaks.forEach((id, count) -> byCount.computeIfAbsent(count, k -> new ArrayList<>()).add(id));
        byCount.forEach((count, ids) -> Rows.bindAll(tx.createUpdate("UPDATE jobs SET failure_streak = :count "
                + "WHERE id IN (" + Rows.placeholders("j", ids.size()) + ")").addParam("count", count), "j", ids)
                .execute());
    }

    /**
     * Pauses a running job with {@code reason}, as {@code POST /pause} would, and starts its failure count anew for
     * when it resumes; false when it was paused already.
     */
    public boolean pause(DbExecute tx, String id, String reason, Instant now) {
        PlannedRuns.lock(tx, id);
        boolean paused = tx.createUpdate("UPDATE jobs SET enabled = FALSE, next_run_at = NULL, paused_reason = :reason, "
                        + "failure_streak = 0, updated_at = :now, version = version + 1 WHERE id = :id AND enabled = TRUE")
                .addParam("reason", reason)
                .addParam("now", Rows.at(now))
                .addParam("id", id)
                .execute() == 1;
        if (paused) {
            PlannedRuns.removeAll(tx, List.of(id));
            PlannedRuns.endCatchUps(tx, List.of(id));
        }
        return paused;
    }

    /** A one-time job whose claimed run was taken back before it started is scheduled again. */
    boolean unclaimOnce(String id, Instant now) {
        return db.execute().createUpdate("UPDATE jobs SET status = 'scheduled', updated_at = :now, version = version + 1 "
                        + "WHERE id = :id AND status = 'running'")
                .addParam("now", Rows.at(now))
                .addParam("id", id)
                .execute() == 1;
    }

    private DbStatementDml bind(DbStatementDml statement, Job job) {
        JobDefinition d = job.definition();
        SigningSecrets secrets = job.secrets();
        statement.addParam("id", job.id())
                .addParam("name", d.name())
                .addParam("url", d.url().toString())
                .addParam("method", d.method())
                .addParam("headers", writeHeaders(d.headers()))
                .addParam("body_is_json", d.body() != null && d.body().json())
                .addParam("concurrency", d.concurrency().wireName())
                .addParam("catch_up", d.catchUp().wireName())
                .addParam("jitter_seconds", d.jitterSeconds())
                .addParam("completion", d.completion().wireName())
                .addParam("callback_timeout_seconds", d.callbackTimeoutSeconds())
                .addParam("timeout_seconds", d.timeoutSeconds())
                .addParam("enabled", d.enabled())
                .addParam("signing_secret", secrets.current().value())
                .addParam("created_at", Rows.at(job.createdAt()))
                .addParam("updated_at", Rows.at(job.updatedAt()));
        Rows.nullable(statement, "body", d.body() == null ? null : d.body().text());
        Rows.nullable(statement, "cron", d.cron());
        Rows.nullable(statement, "timezone", d.zone() == null ? null : d.zone().getId());
        Rows.nullable(statement, "run_at", Rows.at(d.runAt()));
        Rows.nullable(statement, "end_at", Rows.at(d.endAt()));
        Rows.nullable(statement, "pause_after_failures", d.pauseAfterFailures());
        Rows.nullable(statement, "paused_reason", job.pausedReason());
        Rows.nullable(statement, "status", job.status() == null ? null : job.status().wireName());
        Rows.nullable(statement, "next_run_at", Rows.at(job.nextRunAt()));
        Rows.nullable(statement, "previous_secret", secrets.previous() == null ? null : secrets.previous().value());
        Rows.nullable(statement, "previous_secret_until", Rows.at(secrets.previousUntil()));
        return statement;
    }

    /** The columns {@link #read} maps, of the jobs table under {@code alias}: for reads that join jobs. */
    public static String columns(String alias) {
        return Arrays.stream(COLUMNS.split(", ")).map(column -> alias + "." + column).collect(Collectors.joining(", "));
    }

    public StoredJob read(DbRow row) {
        String body = Rows.string(row, "body");
        String zone = Rows.string(row, "timezone");
        String previous = Rows.string(row, "previous_secret");
        JobDefinition definition = new JobDefinition(
                Rows.string(row, "name"),
                URI.create(Rows.string(row, "url")),
                Rows.string(row, "method"),
                readHeaders(Rows.string(row, "headers")),
                body == null ? null : new JobBody(body, Rows.bool(row, "body_is_json")),
                Rows.string(row, "cron"),
                zone == null ? null : ZoneId.of(zone),
                Rows.instant(row, "run_at"),
                Rows.instant(row, "end_at"),
                Rows.integer(row, "pause_after_failures"),
                Concurrency.fromWire(Rows.string(row, "concurrency")),
                CatchUp.fromWire(Rows.string(row, "catch_up")),
                Rows.integer(row, "jitter_seconds"),
                Completion.fromWire(Rows.string(row, "completion")),
                Rows.integer(row, "callback_timeout_seconds"),
                Rows.integer(row, "timeout_seconds"),
                Rows.bool(row, "enabled"));
        Job job = new Job(
                Rows.string(row, "id"),
                definition,
                OnceStatus.fromWire(Rows.string(row, "status")),
                Rows.instant(row, "next_run_at"),
                Rows.string(row, "paused_reason"),
                Rows.number(row, "missed_runs"),
                new SigningSecrets(new WebhookSecret(Rows.string(row, "signing_secret")),
                        previous == null ? null : new WebhookSecret(previous),
                        Rows.instant(row, "previous_secret_until")),
                Rows.instant(row, "created_at"),
                Rows.instant(row, "updated_at"));
        return new StoredJob(job, Rows.number(row, "version"));
    }

    private String writeHeaders(Map<String, String> headers) {
        try {
            return json.writeValueAsString(headers);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, String> readHeaders(String text) {
        try {
            return json.readValue(text, HEADER_MAP);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
