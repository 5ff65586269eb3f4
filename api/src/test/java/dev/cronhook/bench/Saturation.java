package dev.cronhook.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * S1: N one-time jobs all due at the same moment, the target answering at once. Measures executions per second from
 * that moment until the last one is recorded (the executions' own update times), and checks each ran exactly once.
 * Bursts of runs warm the server up first ({@link WarmUp}); they are not measured.
 */
final class Saturation {
    private Saturation() {
    }

    static Map<String, Object> run(Bench.Options options, TargetProcess target) {
        int n = options.s1Jobs();
        try (ScenarioRun run = new ScenarioRun(options, "s1", target, options.jar(), options.work(), Map.of())) {
            run.start();
            WarmUp.run(run, target, options.warmUpRounds(), 0);
            Instant due = run.startAfterCreating(n);
            List<String> bodies = new ArrayList<>(n);
            String url = target.url("s1", 0, 200);
            for (int i = 0; i < n; i++) {
                bodies.add(Bench.onceJob("s1-" + i, url, due));
            }
            ScenarioRun.Created created = run.createJobs(bodies, ScenarioRun.CREATE_CONCURRENCY);
            Window window = Window.begin(run);
            Bench.sleepUntil(due);
            boolean done = run.awaitTarget("s1", n, due, 90_000, 300_000) && run.awaitExecutionsSettled(120_000);
            double recordedAfter = (System.currentTimeMillis() - due.toEpochMilli()) / 1000.0;
            double loopDrain = run.awaitDeliveriesDrained(180_000);
            Map<String, Object> resources = window.end(n);

            Recorded recorded = Recorded.of(run, "s1-");
            JsonNode group = target.report().get("s1");
            double seconds = (recorded.lastRecordedMillis - due.toEpochMilli()) / 1000.0;
            Map<String, Object> result = Bench.result("S1", n + " one-time jobs all due at one moment, target "
                    + "answering at once");
            Table.metric(result, "executions/s", n / seconds, "exe/s", 5000.0, true);
            Map<String, Object> checks = recorded.checks(n, group);
            checks.put("all_recorded_in_time", done);
            checks.put("creation_finished_before_due", created.finishedAt().isBefore(due.minusSeconds(3)));
            Table.correctness(result, checks, done && recorded.allSucceededOnce(n, group));
            result.put("seconds_due_to_last_recorded", Window.round(seconds, 2));
            result.put("seconds_due_to_all_seen_by_poll", Window.round(recordedAfter, 1));
            result.put("creates_per_s", Window.round(created.perSecond(), 0));
            result.put("target", group);
            result.put("server_start_lag_ms", recorded.serverStartLagMs);
            result.put("warm_up_rounds", options.warmUpRounds());
            result.put("connections_per_destination", Bench.connections(run.server.env()));
            result.put("builtin_loop", options.builtinLoop());
            result.put("builtin_loop_drained_after_s", loopDrain);
            result.put("resources", resources);
            return result;
        }
    }
}
