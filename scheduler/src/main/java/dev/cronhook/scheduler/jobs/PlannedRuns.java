package dev.cronhook.scheduler.jobs;

import dev.cronhook.common.db.Rows;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbStatementDml;
import java.time.Instant;
import java.util.List;

/**
 * The planned run of each job that has a next run: an executions row with status {@code planned} whose
 * {@code next_attempt_at} is the job's {@code next_run_at}. The run engine finds every run that is due — planned,
 * manual, retry, handed back — with one statement over executions' {@code next_attempt_at}, so a job's next run waits
 * there like the others. Every write of a job's {@code next_run_at} moves its planned run in the same transaction;
 * nothing else writes these rows. Its id is made from the job's, so it is found by primary key, never by a scan of
 * the job's history.
 */
public final class PlannedRuns {
    public static final String STATUS = "planned";

    private PlannedRuns() {
    }

    static String idOf(String jobId) {
        return "next_" + jobId.substring(jobId.indexOf('_') + 1);
    }

    /**
     * Locks the job's planned run, if it has one. A claim locks the planned run before the job (one locking read of
     * both), so every other writer of the two must take them in that order too, or each could wait on the other.
     */
    static void lock(DbExecute tx, String jobId) {
        try (var rows = tx.createQuery("SELECT id FROM executions WHERE id = :id FOR UPDATE")
                .addParam("id", idOf(jobId))
                .execute()) {
            rows.forEach(row -> { });
        }
    }

    /**
     * Plans the job's next run at {@code next}, sent at {@code fireAt} (with its jitter), or removes its planned run
     * when it has none.
     */
    static void place(DbExecute tx, String jobId, Instant next, Instant fireAt, Instant now) {
        if (next == null) {
            removeAll(tx, List.of(jobId));
            return;
        }
        upsert(tx, idOf(jobId), jobId, "schedule", next, fireAt, null, now);
    }

    /**
     * Moves the planned runs of these jobs (which this transaction holds) to {@code next}, sent at {@code fireAt}:
     * one statement.
     */
    static void moveAll(DbExecute tx, List<String> jobIds, Instant next, Instant fireAt, Instant now) {
        List<String> ids = jobIds.stream().map(PlannedRuns::idOf).toList();
        Rows.bindAll(tx.createUpdate("UPDATE executions SET scheduled_for = :next, next_attempt_at = :fire, "
                        + "updated_at = :now WHERE id IN (" + Rows.placeholders("p", ids.size()) + ")")
                .addParam("next", Rows.at(next))
                .addParam("fire", Rows.at(fireAt))
                .addParam("now", Rows.at(now)), "p", ids)
                .execute();
    }

    /**
     * A cron job that forbids overlap runs the slots it missed while no node could run it one after another
     * ({@code catch_up: all}), beside its schedule: a second planned run of the job, with trigger {@code catch_up},
     * walks the missed slots. It is the missed slot {@code slot}, due at {@code wake} (the latest the catch-up run
     * before it can end; {@link #wake} brings it forward when that run ends sooner), and keeps in {@code due_at} the
     * last missed slot, where the walk ends. Its id, too, is made from the job's.
     */
    public static void walk(DbExecute tx, String jobId, Instant slot, Instant wake, Instant last, Instant now) {
        upsert(tx, walkIdOf(jobId), jobId, "catch_up", slot, wake, last, now);
    }

    /** Moves the planned row {@code id} of the job, or adds it when the job has none yet. */
    private static void upsert(DbExecute tx, String id, String jobId, String trigger, Instant slot, Instant due,
                               Instant last, Instant now) {
        DbStatementDml update = tx.createUpdate("UPDATE executions SET scheduled_for = :slot, next_attempt_at = :due, "
                        + "due_at = :last, updated_at = :now WHERE id = :id")
                .addParam("id", id)
                .addParam("slot", Rows.at(slot))
                .addParam("due", Rows.at(due))
                .addParam("now", Rows.at(now));
        if (Rows.nullable(update, "last", Rows.at(last)).execute() == 0) {
            DbStatementDml insert = tx.createInsert("INSERT INTO executions (id, job_id, run_trigger, scheduled_for, "
                            + "status, attempt_count, next_attempt_at, due_at, created_at, updated_at) VALUES (:id, :job, "
                            + ":trigger, :slot, '" + STATUS + "', 0, :due, :last, :now, :now)")
                    .addParam("id", id)
                    .addParam("job", jobId)
                    .addParam("trigger", trigger)
                    .addParam("slot", Rows.at(slot))
                    .addParam("due", Rows.at(due))
                    .addParam("now", Rows.at(now));
            Rows.nullable(insert, "last", Rows.at(last)).execute();
        }
    }

    /** The catch-up runs of these jobs ended: the next missed slot of each one walking a catch-up is due now. */
    public static void wake(DbExecute tx, List<String> jobIds, Instant now) {
        List<String> ids = jobIds.stream().distinct().map(PlannedRuns::walkIdOf).toList();
        Rows.bindAll(tx.createUpdate("UPDATE executions SET next_attempt_at = :now WHERE id IN ("
                        + Rows.placeholders("p", ids.size()) + ") AND next_attempt_at > :now")
                .addParam("now", Rows.at(now)), "p", ids)
                .execute();
    }

    /** Ends the catch-ups these jobs walk: the last missed slot was claimed, or the job was paused. */
    public static void endCatchUps(DbExecute tx, List<String> jobIds) {
        List<String> ids = jobIds.stream().map(PlannedRuns::walkIdOf).toList();
        Rows.bindAll(tx.createDelete("DELETE FROM executions WHERE id IN (" + Rows.placeholders("p", ids.size()) + ")"),
                "p", ids).execute();
    }

    private static String walkIdOf(String jobId) {
        return "walk_" + jobId.substring(jobId.indexOf('_') + 1);
    }

    /** Removes the planned runs of these jobs: they have no next run. */
    static void removeAll(DbExecute tx, List<String> jobIds) {
        List<String> ids = jobIds.stream().map(PlannedRuns::idOf).toList();
        Rows.bindAll(tx.createDelete("DELETE FROM executions WHERE id IN (" + Rows.placeholders("p", ids.size()) + ")"),
                "p", ids).execute();
    }
}
