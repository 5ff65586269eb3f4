package dev.cronhook.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * S2: one-time jobs due at a steady rate (100/s, then 1,000/s, 60 s each), spread evenly within each second; the
 * target measures arrival − scheduled time. S6: the same at 1,000/s with every tenth job's target answering 500,
 * retried on a shortened table; the healthy jobs' lag and the retries' timing error.
 */
final class Lag {
    static final String S6_RETRY_DELAYS = "3s,3s";
    private static final long S6_RETRY_DELAY_MS = 3000;

    private record Phase(String group, int perSecond, int seconds) {
        int jobs() {
            return perSecond * seconds;
        }
    }

    private Lag() {
    }

    static Map<String, Object> runS2(Bench.Options options, TargetProcess target) {
        int seconds = options.quick() ? 10 : 60;
        List<Phase> phases = List.of(new Phase("r100", 100, seconds), new Phase("r1000", 1000, seconds));
        try (ScenarioRun run = new ScenarioRun(options, "s2", target, options.jar(), options.work(), Map.of())) {
            Timeline timeline = schedule(run, phases, 0);
            Map<String, Object> result = Bench.result("S2", "one-time jobs due at a steady 100/s, then 1,000/s, "
                    + seconds + " s each");
            Map<String, Object> checks = new LinkedHashMap<>();
            boolean ok = timeline.created;
            checks.put("creation_finished_before_first_due", timeline.created);
            long early = 0;
            for (Phase phase : phases) {
                JsonNode group = timeline.report.get(phase.group());
                Recorded recorded = Recorded.of(run, phase.group() + "-");
                JsonNode lag = group.get("lag_ms");
                String name = phase.perSecond() + "/s";
                Table.metric(result, "lag p50 @" + name, lag.get("p50").asDouble(), "ms", 5.0, false);
                Table.metric(result, "lag p99 @" + name, lag.get("p99").asDouble(), "ms", 50.0, false);
                Table.metric(result, "lag max @" + name, lag.get("max").asDouble(), "ms", null, false);
                checks.put(phase.group(), recorded.checks(phase.jobs(), group));
                ok &= recorded.allSucceededOnce(phase.jobs(), group);
                early += group.get("early").asLong();
                result.put("target_" + phase.group(), group);
                result.put("server_start_lag_ms_" + phase.group(), recorded.serverStartLagMs);
            }
            Table.metric(result, "early arrivals", early, "", 0.0, false);
            Table.correctness(result, checks, ok);
            result.put("creates_per_s", Window.round(timeline.createRate, 0));
            result.put("builtin_loop", options.builtinLoop());
            result.put("builtin_loop_drained_after_s", timeline.loopDrain);
            result.put("resources", timeline.resources);
            return result;
        }
    }

    /**
     * S6 is S2 with failures, so it has S2's shape: an unmeasured phase at 100/s (with its failures too) while the
     * JIT compiles the run path, then the measured 1,000/s. Started cold at 1,000/s, the first ~20 s of a fresh JVM
     * are spent compiling (the compiler threads took 17.7 s of CPU on 2 cores) and runs wait up to 0.8 s; the warm-up
     * phase's healthy lag is reported too, as stated numbers, so a cold start stays visible.
     */
    static Map<String, Object> runS6(Bench.Options options, TargetProcess target) {
        int seconds = options.quick() ? 10 : 60;
        int perSecond = 1000;
        Map<String, String> env = Map.of("CRONHOOK_RETRY_DELAYS", S6_RETRY_DELAYS);
        Phase warm = new Phase("s6warm", 100, seconds / 2);
        Phase measured = new Phase("s6ok", perSecond, seconds);
        List<Phase> phases = List.of(warm, measured);
        try (ScenarioRun run = new ScenarioRun(options, "s6", target, options.jar(), options.work(), env)) {
            Timeline timeline = schedule(run, phases, 10);
            int failing = failingJobs(warm) + failingJobs(measured);
            JsonNode ok = timeline.report.get("s6ok");
            JsonNode warmReport = timeline.report.get("s6warm");
            JsonNode bad = timeline.report.get("s6fail");
            Recorded healthyRecorded = Recorded.of(run, "s6ok-");
            Recorded warmRecorded = Recorded.of(run, "s6warm-");
            Recorded failingRecorded = Recorded.of(run, "s6fail-");
            // Retries of the measured phase's jobs only: the warm-up's come while the JIT still compiles.
            Map<String, Object> retryError = run.pg.row("SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) AS p50, "
                    + "percentile_cont(0.99) WITHIN GROUP (ORDER BY x) AS p99, MAX(x) AS max, MIN(x) AS min, "
                    + "COUNT(*) AS retries FROM (SELECT EXTRACT(EPOCH FROM (a2.started_at - a1.finished_at)) * 1000 - "
                    + S6_RETRY_DELAY_MS + " AS x FROM attempts a1 JOIN attempts a2 ON a2.execution_id = a1.execution_id "
                    + "AND a2.number = a1.number + 1 JOIN executions e ON e.id = a1.execution_id "
                    + "JOIN jobs j ON j.id = e.job_id WHERE j.name LIKE 's6fail-s6ok-%') t");
            Map<String, Object> result = Bench.result("S6", "one-time jobs due at 100/s for " + warm.seconds()
                    + " s (warm-up), then a steady " + perSecond + "/s for " + seconds
                    + " s (measured), every tenth target answering 500; retries after " + S6_RETRY_DELAYS);
            JsonNode lag = ok.get("lag_ms");
            Table.metric(result, "healthy lag p50", lag.get("p50").asDouble(), "ms", 5.0, false);
            Table.metric(result, "healthy lag p99", lag.get("p99").asDouble(), "ms", 50.0, false);
            double retryP99 = retryError.get("p99") == null ? Double.NaN : ((Number) retryError.get("p99")).doubleValue();
            Table.metric(result, "retry timing error p99", retryP99, "ms", 100.0, false);
            Table.metric(result, "warm-up healthy lag p99 @100/s", warmReport.get("lag_ms").get("p99").asDouble(),
                    "ms", null, false);
            Map<String, Object> checks = new LinkedHashMap<>();
            checks.put("creation_finished_before_first_due", timeline.created);
            checks.put("healthy", healthyRecorded.checks(measured.jobs() - failingJobs(measured), ok));
            checks.put("warm_up_healthy", warmRecorded.checks(warm.jobs() - failingJobs(warm), warmReport));
            Map<String, Object> failingChecks = failingRecorded.checks(failing, bad);
            long attemptsSeen = bad == null ? 0 : bad.get("count").asLong();
            failingChecks.put("expected_attempts", failing * 3L);
            failingChecks.put("target_by_attempt", bad == null ? null : bad.get("by_attempt"));
            checks.put("failing", failingChecks);
            long incidents = run.pg.scalar("SELECT COUNT(*) FROM incidents");
            checks.put("incidents_opened_by_builtin_loop", incidents);
            boolean correct = timeline.created
                    && healthyRecorded.allSucceededOnce(measured.jobs() - failingJobs(measured), ok)
                    && warmRecorded.allSucceededOnce(warm.jobs() - failingJobs(warm), warmReport) && bad != null
                    && failingRecorded.failed == failing && attemptsSeen == failing * 3L
                    && bad.get("duplicates").asLong() == 0 && bad.get("early").asLong() == 0
                    && (!options.builtinLoop() || incidents == failing);
            Table.correctness(result, checks, correct);
            Map<String, Object> retry = new LinkedHashMap<>();
            retryError.forEach((k, v) -> retry.put(k, v instanceof Number number && !(v instanceof Long)
                    ? Window.round(number.doubleValue(), 2) : v));
            result.put("retry_timing_error_ms", retry);
            result.put("target_healthy", ok);
            result.put("target_warm_up_healthy", warmReport);
            result.put("target_failing", bad);
            result.put("server_start_lag_ms_healthy", healthyRecorded.serverStartLagMs);
            result.put("creates_per_s", Window.round(timeline.createRate, 0));
            result.put("builtin_loop", options.builtinLoop());
            result.put("builtin_loop_drained_after_s", timeline.loopDrain);
            result.put("resources", timeline.resources);
            return result;
        }
    }

    /** Jobs of a phase whose target answers 500 (every tenth, from the first). */
    private static int failingJobs(Phase phase) {
        return (phase.jobs() + 9) / 10;
    }

    private record Timeline(boolean created, double createRate, JsonNode report, double loopDrain,
                            Map<String, Object> resources) {
    }

    /**
     * Creates every job of every phase first (run times after the creation ends, from a measured creation rate),
     * then lets them run, waits until each is finished (with retries) and the built-in loop has delivered.
     * {@code failEvery} > 0 makes every n-th job's target answer 500 (group "s6fail").
     */
    private static Timeline schedule(ScenarioRun run, List<Phase> phases, int failEvery) {
        run.start();
        int total = phases.stream().mapToInt(Phase::jobs).sum();
        Instant first = run.startAfterCreating(total);
        List<String> bodies = new ArrayList<>(total);
        Instant phaseStart = first;
        for (Phase phase : phases) {
            String healthyUrl = run.target.url(phase.group(), 0, 200);
            String failingUrl = run.target.url("s6fail", 0, 500);
            for (int i = 0; i < phase.jobs(); i++) {
                Instant at = phaseStart.plusNanos(i * (1_000_000_000L / phase.perSecond()));
                boolean failing = failEvery > 0 && i % failEvery == 0;
                bodies.add(Bench.onceJob((failing ? "s6fail-" + phase.group() + "-" : phase.group() + "-") + i,
                        failing ? failingUrl : healthyUrl, at));
            }
            phaseStart = phaseStart.plusSeconds(phase.seconds());
        }
        Instant end = phaseStart;
        ScenarioRun.Created created = run.createJobs(bodies, ScenarioRun.CREATE_CONCURRENCY);
        boolean createdInTime = created.finishedAt().isBefore(first.minusSeconds(3));
        Window window = Window.begin(run);
        Bench.sleepUntil(end.plusSeconds(2));
        // Every job's first attempt, then whatever retries are still owed.
        for (Phase phase : phases) {
            long healthy = failEvery > 0 ? phase.jobs() - (phase.jobs() + failEvery - 1) / failEvery : phase.jobs();
            run.awaitTarget(phase.group(), healthy, Instant.now(), 10_000, 120_000);
        }
        run.awaitExecutionsSettled(120_000);
        double loopDrain = run.awaitDeliveriesDrained(180_000);
        Map<String, Object> resources = window.end(total);
        return new Timeline(createdInTime, created.perSecond(), run.target.report(), loopDrain, resources);
    }
}
