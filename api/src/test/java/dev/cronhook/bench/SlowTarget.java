package dev.cronhook.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * S4: the target takes 1 s to answer; 5,000 jobs are due every second for 30 s. The jobs are cron jobs that fire at
 * seconds 0–29 of one coming minute (6-field form), so 5,000 creates make 150,000 runs. Measures completions per
 * second and the server's peak heap (from its GC log). Bursts of runs to the same slow target warm the server up
 * first ({@link WarmUp}); they are not measured. S4 measures what a node sustains, and a node that sends 5,000 runs a
 * second has been running for longer than the JIT takes to compile its send path.
 */
final class SlowTarget {
    private SlowTarget() {
    }

    static Map<String, Object> run(Bench.Options options, TargetProcess target) {
        int jobs = options.quick() ? 1_000 : 5_000;
        int seconds = options.quick() ? 10 : 30;
        long runs = (long) jobs * seconds;
        // 5,000 runs a second to a target that takes a second: 5,000 under way at once, which the default of
        // connections per destination (for a modest web server) would queue. A user with a server this big raises
        // it; --connections overrides this one too.
        Map<String, String> env = options.serverEnv().containsKey(Bench.CONNECTIONS) ? Map.of()
                : Map.of(Bench.CONNECTIONS, "8192");
        try (ScenarioRun run = new ScenarioRun(options, "s4", target, options.jar(), options.work(), env)) {
            run.start();
            WarmUp.run(run, target, options.warmUpRounds(), 1000);
            Instant earliest = run.startAfterCreating(jobs);
            // The coming minute that starts after the jobs are created: its seconds 0-29 are the run's window.
            ZonedDateTime minute = earliest.minusSeconds(1).atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES)
                    .plusMinutes(1);
            String cron = "0-" + (seconds - 1) + " " + minute.getMinute() + " " + minute.getHour() + " "
                    + minute.getDayOfMonth() + " " + minute.getMonthValue() + " *";
            String url = target.url("s4", 1000, 200);
            List<String> bodies = new ArrayList<>(jobs);
            for (int i = 0; i < jobs; i++) {
                bodies.add(Bench.cronJob("s4-" + i, url, cron));
            }
            ScenarioRun.Created created = run.createJobs(bodies, ScenarioRun.CREATE_CONCURRENCY);
            Instant start = minute.toInstant();
            boolean createdInTime = created.finishedAt().isBefore(start.minusSeconds(3));
            Window window = Window.begin(run);
            Bench.sleepUntil(start.plusSeconds(seconds + 1));
            boolean done = run.awaitTarget("s4", runs, start.plusSeconds(seconds + 1), 10_000, 180_000)
                    && run.awaitExecutionsSettled(120_000);
            List<CronhookProcess.GcPause> pauses = run.server.gcPauses();
            double loopDrain = run.awaitDeliveriesDrained(240_000);
            Map<String, Object> resources = window.end(runs);

            Recorded recorded = Recorded.of(run, "s4-");
            JsonNode group = target.report().get("s4");
            double elapsed = (recorded.lastRecordedMillis - start.toEpochMilli()) / 1000.0;
            Map<String, Object> gc = Window.gcSummary(pauses);
            Map<String, Object> result = Bench.result("S4", jobs + " cron jobs due every second for " + seconds
                    + " s, target answering after 1 s");
            Table.metric(result, "completions/s", runs / elapsed, "exe/s", 4500.0, true);
            Table.metric(result, "peak heap", ((Number) gc.get("heap_used_peak_mb")).doubleValue(), "MB", 1024.0, false);
            Map<String, Object> checks = recorded.checks(runs, group);
            long wrongCount = run.pg.scalar("SELECT COUNT(*) FROM (SELECT j.id FROM jobs j LEFT JOIN executions e ON "
                    + "e.job_id = j.id AND e.status <> 'planned' WHERE j.name LIKE 's4-%' GROUP BY j.id HAVING COUNT(e.id) <> " + seconds + ") t");
            checks.put("jobs_without_exactly_" + seconds + "_runs", wrongCount);
            checks.put("creation_finished_before_first_due", createdInTime);
            Table.correctness(result, checks, done && createdInTime && wrongCount == 0
                    && recorded.allSucceededOnce(runs, group));
            result.put("seconds_first_due_to_last_recorded", Window.round(elapsed, 2));
            result.put("gc_until_runs_recorded", gc);
            result.put("warm_up_rounds", options.warmUpRounds());
            result.put("connections_per_destination", Bench.connections(run.server.env()));
            result.put("target", group);
            result.put("server_start_lag_ms", recorded.serverStartLagMs);
            result.put("creates_per_s", Window.round(created.perSecond(), 0));
            result.put("builtin_loop", options.builtinLoop());
            result.put("builtin_loop_drained_after_s", loopDrain);
            result.put("resources", resources);
            return result;
        }
    }
}
