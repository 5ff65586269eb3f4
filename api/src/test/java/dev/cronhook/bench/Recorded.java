package dev.cronhook.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the server recorded for the jobs whose names start with a prefix, read with SQL from the benchmark's
 * database, next to what the target saw of them: the "nothing lost, nothing twice, nothing early" checks.
 */
final class Recorded {
    final long executions;
    final long jobsWithExecution;
    final long succeeded;
    final long failed;
    final long unfinished;
    final long lastRecordedMillis;
    final Map<String, Long> attemptOutcomes;
    final Map<String, Object> serverStartLagMs;

    private Recorded(Pg pg, String prefix) {
        Map<String, Object> row = pg.row("SELECT COUNT(*) AS executions, COUNT(DISTINCT e.job_id) AS jobs, "
                + "SUM(CASE WHEN e.status = 'succeeded' THEN 1 ELSE 0 END) AS succeeded, "
                + "SUM(CASE WHEN e.status = 'failed' THEN 1 ELSE 0 END) AS failed, "
                + "SUM(CASE WHEN e.status IN ('running', 'retry_scheduled') THEN 1 ELSE 0 END) AS unfinished, "
                + "CAST(MAX(EXTRACT(EPOCH FROM e.updated_at)) * 1000 AS BIGINT) AS last_recorded "
                + "FROM executions e JOIN jobs j ON j.id = e.job_id WHERE j.name LIKE '" + prefix + "%' "
                + "AND e.status <> 'planned'");
        executions = number(row.get("executions"));
        jobsWithExecution = number(row.get("jobs"));
        succeeded = number(row.get("succeeded"));
        failed = number(row.get("failed"));
        unfinished = number(row.get("unfinished"));
        lastRecordedMillis = number(row.get("last_recorded"));
        attemptOutcomes = pg.counts("SELECT a.outcome, COUNT(*) FROM attempts a JOIN executions e ON e.id = "
                + "a.execution_id JOIN jobs j ON j.id = e.job_id WHERE j.name LIKE '" + prefix + "%' GROUP BY a.outcome");
        Map<String, Object> lag = pg.row("SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) AS p50, "
                + "percentile_cont(0.99) WITHIN GROUP (ORDER BY x) AS p99, MAX(x) AS max, MIN(x) AS min FROM ("
                + "SELECT EXTRACT(EPOCH FROM (a.started_at - e.scheduled_for)) * 1000 AS x FROM attempts a "
                + "JOIN executions e ON e.id = a.execution_id JOIN jobs j ON j.id = e.job_id "
                + "WHERE a.number = 1 AND j.name LIKE '" + prefix + "%') t");
        serverStartLagMs = new LinkedHashMap<>();
        lag.forEach((k, v) -> serverStartLagMs.put(k, v == null ? null : Window.round(((Number) v).doubleValue(), 2)));
    }

    static Recorded of(ScenarioRun run, String prefix) {
        return new Recorded(run.pg, prefix);
    }

    /** The checks for {@code expected} runs of one-attempt jobs, with the target's view of the same group. */
    Map<String, Object> checks(long expected, JsonNode targetGroup) {
        Map<String, Object> checks = new LinkedHashMap<>();
        checks.put("expected_runs", expected);
        checks.put("executions_recorded", executions);
        checks.put("succeeded", succeeded);
        checks.put("failed", failed);
        checks.put("unfinished", unfinished);
        checks.put("missing", Math.max(0, expected - succeeded - failed));
        checks.put("attempt_outcomes", attemptOutcomes);
        checks.put("failed_attempts", failedAttempts());
        checks.put("target_requests", targetGroup == null ? 0 : targetGroup.get("count").asLong());
        checks.put("target_duplicates", targetGroup == null ? 0 : targetGroup.get("duplicates").asLong());
        checks.put("early_arrivals", targetGroup == null ? 0 : targetGroup.get("early").asLong());
        return checks;
    }

    /** Attempts that did not succeed: against a healthy target, every one is a failure of ours. */
    long failedAttempts() {
        return attemptOutcomes.entrySet().stream().filter(e -> !e.getKey().equals("success"))
                .mapToLong(Map.Entry::getValue).sum();
    }

    /** Every run recorded once as succeeded at its first attempt, the target hit once per run, never early. */
    boolean allSucceededOnce(long expected, JsonNode targetGroup) {
        return targetGroup != null && executions == expected && succeeded == expected && failedAttempts() == 0
                && targetGroup.get("count").asLong() == expected && targetGroup.get("duplicates").asLong() == 0
                && targetGroup.get("early").asLong() == 0;
    }

    private static long number(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }
}
