package dev.cronhook.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * S5: 100,000 cron jobs created through the API (16 concurrent clients), none due soon (each fires once a year on
 * the first of January); then the server idles. Measures creates per second, the heap after a full GC, and what the
 * idle server asks of the database per second.
 */
final class ManyJobs {
    private ManyJobs() {
    }

    static Map<String, Object> run(Bench.Options options, TargetProcess target) {
        int jobs = options.quick() ? 10_000 : 100_000;
        int idleSeconds = options.quick() ? 20 : 60;
        try (ScenarioRun run = new ScenarioRun(options, "s5", target, options.jar(), options.work(), Map.of())) {
            run.start();
            Random random = new Random(5);
            String url = target.url("s5", 0, 200);
            List<String> bodies = new ArrayList<>(jobs);
            for (int i = 0; i < jobs; i++) {
                bodies.add(Bench.cronJob("s5-" + i, url, random.nextInt(60) + " " + random.nextInt(24) + " 1 1 *"));
            }
            Window creating = Window.begin(run);
            ScenarioRun.Created created = run.createJobs(bodies, ScenarioRun.CREATE_CONCURRENCY);
            Map<String, Object> creationResources = creating.end(jobs);
            Bench.sleep(15_000);
            double heapAfterGc = run.server.heapAfterFullGcMb();
            Bench.sleep(5_000);
            Window idle = Window.begin(run);
            Bench.sleep(idleSeconds * 1000L);
            Map<String, Object> idleResources = idle.end(0);
            @SuppressWarnings("unchecked")
            Map<String, Object> db = (Map<String, Object>) idleResources.get("db");
            double scansPerSecond = ((Number) db.get("table_scans_per_s")).doubleValue();
            double commitsPerSecond = ((Number) db.get("commits_per_s")).doubleValue();

            long stored = run.pg.scalar("SELECT COUNT(*) FROM jobs WHERE name LIKE 's5-%'");
            long executions = run.pg.scalar("SELECT COUNT(*) FROM executions WHERE status <> 'planned'");
            Map<String, Object> result = Bench.result("S5", jobs + " cron jobs created through the API by 16 "
                    + "clients, then " + idleSeconds + " s idle");
            Table.metric(result, "creates/s", created.perSecond(), "jobs/s", 2000.0, true);
            Table.metric(result, "heap after GC", heapAfterGc, "MB", 256.0, false);
            Table.metric(result, "idle db statements/s", scansPerSecond, "/s", 5.0, false);
            Table.metric(result, "idle db commits/s", commitsPerSecond, "/s", null, false);
            Map<String, Object> checks = new LinkedHashMap<>();
            checks.put("jobs_stored", stored);
            checks.put("executions", executions);
            Table.correctness(result, checks, stored == jobs && executions == 0);
            result.put("creation_resources", creationResources);
            result.put("idle_resources", idleResources);
            return result;
        }
    }
}
