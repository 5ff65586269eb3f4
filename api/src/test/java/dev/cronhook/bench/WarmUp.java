package dev.cronhook.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Bursts of one-time runs before a measurement, not measured themselves, so that a scenario measures a warm server.
 * Each scenario starts a fresh server, whose first tens of thousands of runs go through the interpreter and the JIT's
 * quicker tiers while its optimising compiler works through a long queue (in S4 the compiler threads took 9–11 s of
 * CPU out of the two cores' 100 s). Each burst is followed by a wait for the JIT to go quiet: after one burst of
 * 20,000 runs the optimising compiler still took 0.8–1.3 s of CPU during S1's measured burst, compiling the send path
 * for the first time (a method that was waiting in its queue is not hot enough to be queued again until it runs
 * again).
 */
final class WarmUp {
    static final int JOBS = 10_000;
    static final int ROUNDS = 2;

    private WarmUp() {
    }

    /** {@code rounds} bursts of {@link #JOBS} runs due at once, to a target answering after {@code delayMillis}. */
    static void run(ScenarioRun run, TargetProcess target, int rounds, int delayMillis) {
        for (int round = 0; round < rounds; round++) {
            Instant due = run.startAfterCreating(JOBS);
            List<String> bodies = new ArrayList<>(JOBS);
            String group = "warmup" + round;
            String url = target.url(group, delayMillis, 200);
            for (int i = 0; i < JOBS; i++) {
                bodies.add(Bench.onceJob("warmup-" + round + "-" + i, url, due));
            }
            run.createJobs(bodies, ScenarioRun.CREATE_CONCURRENCY);
            run.awaitTarget(group, JOBS, due, 60_000, 120_000);
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
}
