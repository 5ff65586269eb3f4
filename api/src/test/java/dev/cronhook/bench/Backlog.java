package dev.cronhook.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * S3: a backlog of one-time jobs already overdue when the server starts (created through the API, then the server is
 * stopped until they are due), while on-time jobs come due at 50/s. Measures the drain time of the backlog and the
 * on-time jobs' lag during it.
 */
final class Backlog {
    private static final int ON_TIME_PER_SECOND = 50;

    private Backlog() {
    }

    static Map<String, Object> run(Bench.Options options, TargetProcess target) {
        int backlog = options.quick() ? 10_000 : 100_000;
        int onTimeSeconds = options.quick() ? 20 : 60;
        int onTime = ON_TIME_PER_SECOND * onTimeSeconds;
        try (ScenarioRun run = new ScenarioRun(options, "s3", target, options.jar(), options.work(), Map.of())) {
            run.start();
            Instant due = run.startAfterCreating(backlog + onTime);
            Instant restart = due.plusSeconds(3);
            Instant onTimeFirst = restart.plusSeconds(10);
            List<String> bodies = new ArrayList<>(backlog + onTime);
            String backlogUrl = target.url("backlog", 0, 200);
            for (int i = 0; i < backlog; i++) {
                bodies.add(Bench.onceJob("backlog-" + i, backlogUrl, due));
            }
            String onTimeUrl = target.url("ontime", 0, 200);
            for (int i = 0; i < onTime; i++) {
                bodies.add(Bench.onceJob("ontime-" + i, onTimeUrl,
                        onTimeFirst.plusMillis(i * 1000L / ON_TIME_PER_SECOND)));
            }
            ScenarioRun.Created created = run.createJobs(bodies, ScenarioRun.CREATE_CONCURRENCY);
            boolean createdInTime = created.finishedAt().isBefore(due.minusSeconds(3));
            run.server.stop();
            long claimedBeforeStop = run.pg.scalar("SELECT COUNT(*) FROM executions WHERE status <> 'planned'");
            Bench.sleepUntil(restart);
            long restartAt = System.currentTimeMillis();
            long readyMillis = run.server.start();
            Window window = Window.begin(run);
            boolean drained = run.awaitTarget("backlog", backlog, Instant.now(), 90_000, 300_000);
            Bench.sleepUntil(onTimeFirst.plusSeconds(onTimeSeconds + 2));
            run.awaitTarget("ontime", onTime, Instant.now(), 10_000, 60_000);
            drained &= run.awaitExecutionsSettled(180_000);
            double loopDrain = run.awaitDeliveriesDrained(300_000);
            Map<String, Object> resources = window.end(backlog + onTime);

            Recorded backlogRecorded = Recorded.of(run, "backlog-");
            Recorded onTimeRecorded = Recorded.of(run, "ontime-");
            JsonNode report = target.report();
            JsonNode backlogGroup = report.get("backlog");
            JsonNode onTimeGroup = report.get("ontime");
            double drainSeconds = (backlogRecorded.lastRecordedMillis - restartAt) / 1000.0;
            Map<String, Object> result = Bench.result("S3", backlog + " one-time jobs overdue when the server starts, "
                    + "while on-time jobs come due at " + ON_TIME_PER_SECOND + "/s");
            Table.metric(result, "drain time", drainSeconds, "s", 40.0, false);
            Table.metric(result, "on-time lag p99", onTimeGroup.get("lag_ms").get("p99").asDouble(), "ms", 1000.0, false);
            Map<String, Object> checks = new LinkedHashMap<>();
            checks.put("creation_finished_before_due", createdInTime);
            checks.put("claimed_before_stop", claimedBeforeStop);
            checks.put("backlog", backlogRecorded.checks(backlog, backlogGroup));
            checks.put("on_time", onTimeRecorded.checks(onTime, onTimeGroup));
            Table.correctness(result, checks, drained && createdInTime && claimedBeforeStop == 0
                    && backlogRecorded.allSucceededOnce(backlog, backlogGroup)
                    && onTimeRecorded.allSucceededOnce(onTime, onTimeGroup));
            result.put("server_start_to_healthy_s", Window.round(readyMillis / 1000.0, 1));
            result.put("drain_from_healthy_s", Window.round(drainSeconds - readyMillis / 1000.0, 1));
            result.put("backlog_per_s_from_start", Window.round(backlog / drainSeconds, 0));
            result.put("target_backlog", backlogGroup);
            result.put("target_on_time", onTimeGroup);
            result.put("creates_per_s", Window.round(created.perSecond(), 0));
            result.put("builtin_loop", options.builtinLoop());
            result.put("builtin_loop_drained_after_s", loopDrain);
            result.put("resources", resources);
            return result;
        }
    }
}
