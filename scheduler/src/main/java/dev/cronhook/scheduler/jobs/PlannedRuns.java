package dev.cronhook.scheduler.jobs;

import dev.cronhook.common.db.Rows;
import io.helidon.dbclient.DbExecute;
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

    /** Plans the job's next run at {@code next}, or removes its planned run when it has none. */
    static void place(DbExecute tx, String jobId, Instant next, Instant now) {
        if (next == null) {
            removeAll(tx, List.of(jobId));
            return;
        }
        long moved = tx.createUpdate("UPDATE executions SET scheduled_for = :next, next_attempt_at = :next, "
                        + "updated_at = :now WHERE id = :id")
                .addParam("id", idOf(jobId))
                .addParam("next", Rows.at(next))
                .addParam("now", Rows.at(now))
                .execute();
        if (moved == 0) {
            tx.createInsert("INSERT INTO executions (id, job_id, run_trigger, scheduled_for, status, attempt_count, "
                            + "next_attempt_at, created_at, updated_at) VALUES (:id, :job, 'schedule', :next, '"
                            + STATUS + "', 0, :next, :now, :now)")
                    .addParam("id", idOf(jobId))
                    .addParam("job", jobId)
                    .addParam("next", Rows.at(next))
                    .addParam("now", Rows.at(now))
                    .execute();
        }
    }

    /** Moves the planned runs of these jobs (which this transaction holds) to {@code next}: one statement. */
    static void moveAll(DbExecute tx, List<String> jobIds, Instant next, Instant now) {
        List<String> ids = jobIds.stream().map(PlannedRuns::idOf).toList();
        Rows.bindAll(tx.createUpdate("UPDATE executions SET scheduled_for = :next, next_attempt_at = :next, "
                        + "updated_at = :now WHERE id IN (" + Rows.placeholders("p", ids.size()) + ")")
                .addParam("next", Rows.at(next))
                .addParam("now", Rows.at(now)), "p", ids)
                .execute();
    }

    /** Removes the planned runs of these jobs: they have no next run. */
    static void removeAll(DbExecute tx, List<String> jobIds) {
        List<String> ids = jobIds.stream().map(PlannedRuns::idOf).toList();
        Rows.bindAll(tx.createDelete("DELETE FROM executions WHERE id IN (" + Rows.placeholders("p", ids.size()) + ")"),
                "p", ids).execute();
    }
}
