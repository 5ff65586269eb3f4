package dev.cronhook.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * S9: the server exactly as a new user starts it — no setting overridden but the database, the port and the admin
 * key — and the top of the hour: 5,000 one-time jobs and 5,000 cron jobs due in the same second, all to one target
 * that answers at once. Reports the attempts that failed (a healthy target must see none), the time from that second
 * until the last run reached the target, and the server's peak heap. No warm-up: a new user's server is cold too.
 */
final class BurstAtDefaults {
    private BurstAtDefaults() {
    }

    static Map<String, Object> run(Bench.Options options, TargetProcess target) {
        int each = options.quick() ? 1_000 : 5_000;
        int n = 2 * each;
        // No overrides at all, whatever the command line asked of other scenarios (JVM options stay: they are the
        // operator's, not Cronhook's).
        Bench.Options atDefaults = new Bench.Options(options.scenarios(), options.quick(), options.runs(),
                options.builtinLoop(), options.keepDatabases(), options.jar(), options.work(),
                options.serverJvmOptions(), Map.of(), options.s1Jobs(), options.warmUpRounds());
        try (ScenarioRun run = new ScenarioRun(atDefaults, "s9", target, options.jar(), options.work(), Map.of())) {
            run.start();
            Instant due = run.startAfterCreating(n);
            ZonedDateTime at = due.atZone(ZoneOffset.UTC);
            // Six fields, seconds first: this very second, once a year.
            String cron = at.getSecond() + " " + at.getMinute() + " " + at.getHour() + " " + at.getDayOfMonth() + " "
                    + at.getMonthValue() + " *";
            String url = target.url("s9", 0, 200);
            List<String> bodies = new ArrayList<>(n);
            for (int i = 0; i < each; i++) {
                bodies.add(Bench.onceJob("s9-once-" + i, url, due));
                bodies.add(Bench.cronJob("s9-cron-" + i, url, cron));
            }
            ScenarioRun.Created created = run.createJobs(bodies, ScenarioRun.CREATE_CONCURRENCY);
            Window window = Window.begin(run);
            Bench.sleepUntil(due);
            boolean done = run.awaitTarget("s9", n, due, 30_000, 300_000) && run.awaitExecutionsSettled(120_000);
            List<CronhookProcess.GcPause> pauses = run.server.gcPauses();
            double loopDrain = run.awaitDeliveriesDrained(180_000);
            Map<String, Object> resources = window.end(n);

            Recorded recorded = Recorded.of(run, "s9-");
            JsonNode group = target.report().get("s9");
            double lastSentAfter = group == null ? -1
                    : (group.get("last_arrival_us").asLong() / 1000.0 - due.toEpochMilli()) / 1000.0;
            Map<String, Object> gc = Window.gcSummary(pauses);
            Map<String, Object> result = Bench.result("S9", each + " one-time and " + each + " cron jobs due in the "
                    + "same second to one target answering at once; the server at its defaults");
            Table.metric(result, "failed attempts", recorded.failedAttempts(), "", 0.0, false);
            Table.metric(result, "due to last sent", lastSentAfter, "s", null, false);
            Table.metric(result, "peak heap", ((Number) gc.get("heap_used_peak_mb")).doubleValue(), "MB", 1024.0,
                    false);
            Map<String, Object> checks = recorded.checks(n, group);
            long cronRuns = run.pg.scalar("SELECT COUNT(*) FROM executions e JOIN jobs j ON j.id = e.job_id "
                    + "WHERE j.name LIKE 's9-cron-%' AND e.status = 'succeeded' AND e.run_trigger = 'schedule'");
            checks.put("cron_runs_succeeded_as_scheduled", cronRuns);
            checks.put("all_recorded_in_time", done);
            checks.put("creation_finished_before_due", created.finishedAt().isBefore(due.minusSeconds(3)));
            Table.correctness(result, checks, done && cronRuns == each && recorded.allSucceededOnce(n, group));
            result.put("target", group);
            result.put("server_start_lag_ms", recorded.serverStartLagMs);
            result.put("server_env", run.server.env().keySet());
            result.put("server_jvm_options", options.serverJvmOptions());
            result.put("creates_per_s", Window.round(created.perSecond(), 0));
            result.put("gc_until_runs_recorded", gc);
            result.put("builtin_loop", options.builtinLoop());
            result.put("builtin_loop_drained_after_s", loopDrain);
            result.put("resources", resources);
            return result;
        }
    }
}
