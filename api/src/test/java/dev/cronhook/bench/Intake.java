package dev.cronhook.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * S7: incident events posted to a {@code generic} integration's intake by 8 concurrent clients, one distinct title
 * (dedup key) per ten events, each key's events spread over the run. Measures events per second and checks that
 * every key opened exactly one incident that counted all its events.
 */
final class Intake {
    private static final int CLIENTS = 8;

    private Intake() {
    }

    static Map<String, Object> run(Bench.Options options, TargetProcess target) {
        int events = options.quick() ? 10_000 : 100_000;
        int keys = events / 10;
        try (ScenarioRun run = new ScenarioRun(options, "s7", target, options.jar(), options.work(), Map.of())) {
            run.start();
            String token;
            String integrationId;
            try (HttpConn api = run.api()) {
                HttpConn.Response created = api.post("/v1/integrations", "{\"name\":\"bench\",\"type\":\"generic\"}");
                if (created.status() != 201) {
                    throw new IllegalStateException("cannot create the integration: " + created.status() + " "
                            + created.body());
                }
                token = ScenarioRun.json(created.body()).get("token").asText();
                integrationId = ScenarioRun.json(created.body()).get("id").asText();
            }
            Map<String, LongAdder> actions = new ConcurrentHashMap<>();
            Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
            AtomicInteger next = new AtomicInteger();
            Window window = Window.begin(run);
            long begin = System.nanoTime();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                clients.add(Thread.ofPlatform().name("bench-intake-" + c).start(() -> {
                    try (HttpConn conn = new HttpConn(run.server.port, null)) {
                        for (int i = next.getAndIncrement(); i < events; i = next.getAndIncrement()) {
                            HttpConn.Response r = conn.post("/hooks/" + token, "{\"title\":\"key-" + (i % keys)
                                    + "\",\"body\":\"benchmark event " + i + "\",\"severity\":\"sev2\"}");
                            statuses.computeIfAbsent(r.status(), s -> new LongAdder()).increment();
                            int at = r.body().indexOf("\"action\":\"");
                            String action = at < 0 ? "?" : r.body().substring(at + 10, r.body().indexOf('"', at + 10));
                            actions.computeIfAbsent(action, a -> new LongAdder()).increment();
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
            double seconds = (System.nanoTime() - begin) / 1e9;
            Map<String, Object> resources = window.end(events);

            Map<String, Object> incidents = run.pg.row("SELECT COUNT(*) AS incidents, COUNT(DISTINCT dedup_key) AS keys, "
                    + "SUM(occurrences) AS occurrences, SUM(CASE WHEN status = 'triggered' THEN 1 ELSE 0 END) AS open "
                    + "FROM incidents WHERE integration_id = '" + integrationId + "'");
            Map<String, Object> result = Bench.result("S7", events + " generic events to the intake from " + CLIENTS
                    + " clients, " + keys + " distinct titles");
            Table.metric(result, "events/s", events / seconds, "ev/s", 5000.0, true);
            Map<String, Object> checks = new LinkedHashMap<>();
            Map<String, Long> actionCounts = new LinkedHashMap<>();
            actions.forEach((k, v) -> actionCounts.put(k, v.sum()));
            Map<String, Long> statusCounts = new LinkedHashMap<>();
            statuses.forEach((k, v) -> statusCounts.put(k.toString(), v.sum()));
            checks.put("replies_by_status", statusCounts);
            checks.put("replies_by_action", actionCounts);
            checks.put("incidents", incidents);
            long opened = actionCounts.getOrDefault("opened", 0L);
            boolean ok = statusCounts.getOrDefault("202", 0L) == events && opened == keys
                    && ((Number) incidents.get("incidents")).longValue() == keys
                    && ((Number) incidents.get("keys")).longValue() == keys
                    && ((Number) incidents.get("occurrences")).longValue() == events;
            Table.correctness(result, checks, ok);
            result.put("seconds", Window.round(seconds, 2));
            result.put("resources", resources);
            return result;
        }
    }
}
