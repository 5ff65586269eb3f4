package dev.cronhook.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * S8: 10,000 heartbeat checks pinged round robin at 1,000 pings/s for 60 s by 8 clients. 1 % (period 20 s, grace 5 s)
 * stop being pinged after 20 s and must go down; the others (period 1 h) stay up. Measures the ping reply latency,
 * how long after its deadline each late check went down, and — once the late checks are paused, so nothing is due —
 * what the 10,000 checks ask of the idle database per second.
 */
final class Checks {
    private static final int CLIENTS = 8;
    private static final int RATE = 1_000;
    private static final int LATE_PERIOD = 20;
    private static final int LATE_GRACE = 5;
    private static final long LATE_AFTER_MS = 20_000;

    private Checks() {
    }

    static Map<String, Object> run(Bench.Options options, TargetProcess target) {
        int checks = options.quick() ? 2_000 : 10_000;
        int seconds = options.quick() ? 45 : 60;
        int idleSeconds = options.quick() ? 10 : 30;
        int lateEvery = 100;
        try (ScenarioRun run = new ScenarioRun(options, "s8", target, options.jar(), options.work(), Map.of())) {
            run.start();
            List<String> bodies = new ArrayList<>(checks);
            for (int i = 0; i < checks; i++) {
                bodies.add(i % lateEvery == 0
                        ? "{\"name\":\"late-" + i + "\",\"period_seconds\":" + LATE_PERIOD + ",\"grace_seconds\":"
                        + LATE_GRACE + "}"
                        : "{\"name\":\"s8-" + i + "\",\"period_seconds\":3600,\"grace_seconds\":60}");
            }
            ScenarioRun.Created created = run.create("/v1/checks", "ping_url", bodies, ScenarioRun.CREATE_CONCURRENCY);
            String[] pingPaths = created.ids().stream().map(url -> url.substring(url.indexOf("/ping/")))
                    .toArray(String[]::new);

            int pings = RATE * seconds;
            long[] latencyMicros = new long[pings];
            Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
            AtomicInteger next = new AtomicInteger();
            Window window = Window.begin(run);
            long begin = System.nanoTime();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                clients.add(Thread.ofPlatform().name("bench-ping-" + c).start(() -> {
                    try (HttpConn conn = new HttpConn(run.server.port, null)) {
                        for (int i = next.getAndIncrement(); i < pings; i = next.getAndIncrement()) {
                            long due = begin + i * 1_000_000_000L / RATE;
                            long wait = due - System.nanoTime();
                            if (wait > 0) {
                                Bench.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                            }
                            int check = i % checks;
                            boolean silent = check % lateEvery == 0 && (due - begin) / 1_000_000 > LATE_AFTER_MS;
                            if (silent) {
                                latencyMicros[i] = -1;
                                continue;
                            }
                            long sent = System.nanoTime();
                            HttpConn.Response r = conn.get(pingPaths[check]);
                            latencyMicros[i] = (System.nanoTime() - sent) / 1_000;
                            statuses.computeIfAbsent(r.status(), s -> new LongAdder()).increment();
                        }
                    }
                }));
            }
            for (Thread client : clients) {
                try {
                    client.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            double took = (System.nanoTime() - begin) / 1e9;
            long[] sent = Arrays.stream(latencyMicros).filter(l -> l >= 0).sorted().toArray();
            Map<String, Object> resources = window.end(sent.length);
            // The last late check's deadline passed within the run; give the evaluator its few seconds.
            Bench.sleep(6_000);

            Map<String, Object> late = run.pg.row("SELECT COUNT(*) AS late, "
                    + "SUM(CASE WHEN c.status = 'down' THEN 1 ELSE 0 END) AS down, "
                    + "MIN(EXTRACT(EPOCH FROM (f.created_at - (c.last_ping_at + INTERVAL '" + (LATE_PERIOD + LATE_GRACE)
                    + " seconds')))) AS min_s, "
                    + "MAX(EXTRACT(EPOCH FROM (f.created_at - (c.last_ping_at + INTERVAL '" + (LATE_PERIOD + LATE_GRACE)
                    + " seconds')))) AS max_s FROM checks c LEFT JOIN check_flips f ON f.check_id = c.id "
                    + "AND f.to_status = 'down' WHERE c.name LIKE 'late-%'");
            Map<String, Object> flips = run.pg.row("SELECT COUNT(*) AS down_flips, COUNT(DISTINCT check_id) AS checks "
                    + "FROM check_flips WHERE to_status = 'down'");
            Map<String, Object> incidents = run.pg.row("SELECT COUNT(*) AS incidents, COUNT(DISTINCT dedup_key) AS keys "
                    + "FROM incidents WHERE dedup_key IN (SELECT id FROM checks WHERE name LIKE 'late-%')");
            long upNotLate = run.pg.scalar("SELECT COUNT(*) FROM checks WHERE name LIKE 's8-%' AND status = 'up'");

            // Idle: nothing due. The late checks are paused (no more periods counted), the rest expect a ping in an hour.
            try (HttpConn api = run.api()) {
                for (String id : run.pg.strings("SELECT id FROM checks WHERE name LIKE 'late-%'")) {
                    api.post("/v1/checks/" + id + "/pause", "{}");
                }
            }
            // PostgreSQL publishes a session's counters up to seconds after its last statement: let the ping phase's
            // settle before the idle window opens.
            Bench.sleep(12_000);
            Window idle = Window.begin(run);
            Bench.sleep(idleSeconds * 1000L);
            Map<String, Object> idleResources = idle.end(0);
            @SuppressWarnings("unchecked")
            Map<String, Object> db = (Map<String, Object>) idleResources.get("db");

            int lateChecks = checks / lateEvery;
            Map<String, Object> result = Bench.result("S8", checks + " checks pinged round robin at " + RATE
                    + "/s for " + seconds + " s by " + CLIENTS + " clients; " + lateChecks + " stop after "
                    + LATE_AFTER_MS / 1000 + " s (period " + LATE_PERIOD + " s, grace " + LATE_GRACE + " s)");
            Table.metric(result, "ping p50", percentile(sent, 50) / 1000.0, "ms", null, false);
            Table.metric(result, "ping p99", percentile(sent, 99) / 1000.0, "ms", 20.0, false);
            Table.metric(result, "pings/s", sent.length / took, "/s", null, true);
            double maxDown = late.get("max_s") == null ? Double.NaN : ((Number) late.get("max_s")).doubleValue();
            Table.metric(result, "down after deadline (max)", maxDown, "s", 5.0, false);
            Table.metric(result, "idle db statements/s", ((Number) db.get("table_scans_per_s")).doubleValue(), "/s",
                    null, false);
            Table.metric(result, "idle db commits/s", ((Number) db.get("commits_per_s")).doubleValue(), "/s", null,
                    false);
            Map<String, Object> checksMap = new LinkedHashMap<>();
            Map<String, Long> statusCounts = new LinkedHashMap<>();
            statuses.forEach((k, v) -> statusCounts.put(k.toString(), v.sum()));
            checksMap.put("replies_by_status", statusCounts);
            checksMap.put("late_checks", late);
            checksMap.put("down_flips", flips);
            checksMap.put("incidents_of_late_checks", incidents);
            checksMap.put("others_up", upNotLate);
            double minDown = late.get("min_s") == null ? Double.NaN : ((Number) late.get("min_s")).doubleValue();
            boolean ok = statusCounts.getOrDefault("200", 0L) == sent.length
                    && ((Number) late.get("down")).longValue() == lateChecks
                    && ((Number) flips.get("down_flips")).longValue() == lateChecks
                    && ((Number) flips.get("checks")).longValue() == lateChecks
                    && ((Number) incidents.get("incidents")).longValue() == lateChecks
                    && upNotLate == checks - lateChecks
                    && minDown >= 0;
            Table.correctness(result, checksMap, ok);
            result.put("create_checks_per_s", Window.round(created.perSecond(), 1));
            result.put("resources", resources);
            result.put("idle_resources", idleResources);
            return result;
        }
    }

    private static long percentile(long[] sorted, int p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * p / 100.0) - 1)];
    }
}
