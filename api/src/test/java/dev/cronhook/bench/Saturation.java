package dev.cronhook.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * S1: N one-time jobs all due at the same moment, the target answering at once. Measures executions per second from
 * that moment until the last one is recorded (the executions' own update times), and checks each ran exactly once.
 * Two bursts of 10,000 runs warm the server up and are not measured; the measurement starts once the JIT is quiet.
 */
final class Saturation {
    static final int WARM_UP_JOBS = 10_000;
    static final int WARM_UP_ROUNDS = 2;

    private Saturation() {
    }

    /**
     * Each scenario starts a fresh server, whose first tens of thousands of runs go through the interpreter and the
     * JIT's quicker tiers while its optimising compiler works through a long queue: bursts of runs, not measured, so
     * that S1 measures a warm server. Two bursts, each followed by a wait for the JIT to go quiet: after one burst of
     * 20,000 runs the optimising compiler still took 0.8–1.3 s of CPU during the measured burst, compiling the send
     * path for the first time (a method that was waiting in its queue is not hot enough to be queued again until it
     * runs again).
     */
    private static void warmUp(ScenarioRun run, TargetProcess target) {
        for (int round = 0; round < run.options.s1WarmUpRounds(); round++) {
            Instant due = run.startAfterCreating(WARM_UP_JOBS);
            List<String> bodies = new ArrayList<>(WARM_UP_JOBS);
            String url = target.url("warmup" + round, 0, 200);
            for (int i = 0; i < WARM_UP_JOBS; i++) {
                bodies.add(Bench.onceJob("warmup-" + round + "-" + i, url, due));
            }
            run.createJobs(bodies, ScenarioRun.CREATE_CONCURRENCY);
            run.awaitTarget("warmup" + round, WARM_UP_JOBS, due, 60_000, 120_000);
            run.awaitExecutionsSettled(60_000);
            run.awaitDeliveriesDrained(120_000);
            awaitCompilerQuiet(run);
        }
    }

    /**
     * Until the JIT has compiled what the warm-up made hot: its compiler threads still took 1.5 s of CPU during a
     * measured burst that came right after a warm-up of 10,000 runs, queued compilations of large inlined methods.
     * Waits until they have used no CPU for a second (at most a minute).
     */
    private static void awaitCompilerQuiet(ScenarioRun run) {
        long deadline = System.currentTimeMillis() + 60_000;
        long last = compilerTicks(run);
        long quietSince = System.currentTimeMillis();
        while (System.currentTimeMillis() < deadline && System.currentTimeMillis() - quietSince < 1_000) {
            Bench.sleep(200);
            long now = compilerTicks(run);
            if (now != last) {
                last = now;
                quietSince = System.currentTimeMillis();
            }
        }
    }

    private static long compilerTicks(ScenarioRun run) {
        return ProcCpu.threadTicks(run.server.pid()).values().stream()
                .filter(thread -> thread.name().contains("CompilerThre")).mapToLong(ProcCpu.ThreadTicks::ticks).sum();
    }

    static Map<String, Object> run(Bench.Options options, TargetProcess target) {
        int n = options.s1Jobs();
        try (ScenarioRun run = new ScenarioRun(options, "s1", target, options.jar(), options.work(), Map.of())) {
            run.start();
            warmUp(run, target);
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
            result.put("warm_up_rounds", options.s1WarmUpRounds());
            result.put("connections_per_destination", Bench.connections(run.server.env()));
            result.put("builtin_loop", options.builtinLoop());
            result.put("builtin_loop_drained_after_s", loopDrain);
            result.put("resources", resources);
            return result;
        }
    }
}
