package dev.cronhook.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the server, the target and PostgreSQL spent between {@link #begin} and {@link #end}: CPU per process and per
 * server thread group (from /proc), database commits, statements and WAL (from PostgreSQL's statistics views), what
 * the server's database sessions waited on (pg_stat_activity sampled every 50 ms), and the server's GC pauses.
 */
final class Window {
    private final ScenarioRun run;
    private final long beginNanos;
    private final Pg.Stats stats;
    private final long serverTicks;
    private final long targetTicks;
    private final long driverTicks;
    private final List<Integer> backends;
    private final long backendTicks;
    private final List<Long> postgresPids;
    private final long postgresTicks;
    private final long[] machine;
    private final long listenOverflows;
    private final Map<Long, ProcCpu.ThreadTicks> serverThreads;
    private final int gcPausesBefore;
    private final Map<String, Integer> waits = new HashMap<>();
    private final AtomicBoolean sampling = new AtomicBoolean(true);
    private final Thread sampler;
    private int samples;

    private Window(ScenarioRun run) {
        this.run = run;
        this.backends = run.pg.backendPids();
        this.postgresPids = ProcCpu.pidsNamed("postgres");
        this.gcPausesBefore = run.server.gcPauses().size();
        this.stats = run.pg.stats();
        this.serverThreads = ProcCpu.threadTicks(run.server.pid());
        this.serverTicks = ProcCpu.processTicks(run.server.pid());
        this.targetTicks = ProcCpu.processTicks(run.target.pid());
        this.driverTicks = ProcCpu.processTicks(ProcessHandle.current().pid());
        this.backendTicks = ProcCpu.sumTicks(backends);
        this.postgresTicks = ProcCpu.sumTicks(postgresPids);
        this.machine = ProcCpu.machineTicks();
        this.listenOverflows = ProcCpu.listenOverflows();
        this.beginNanos = System.nanoTime();
        this.sampler = Thread.ofPlatform().daemon().name("bench-wait-sampler").start(this::sample);
    }

    static Window begin(ScenarioRun run) {
        return new Window(run);
    }

    private void sample() {
        while (sampling.get()) {
            try {
                List<String> active = run.pg.activeWaits();
                synchronized (waits) {
                    samples++;
                    for (String wait : active) {
                        waits.merge(wait, 1, Integer::sum);
                    }
                }
            } catch (RuntimeException e) {
                // the database went away at the end of a run
            }
            Bench.sleep(50);
        }
    }

    /** Ends the window; {@code work} is how many executions (or events) it covered, for per-unit figures. */
    Map<String, Object> end(long work) {
        sampling.set(false);
        try {
            sampler.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        double seconds = (System.nanoTime() - beginNanos) / 1e9;
        long[] machineNow = ProcCpu.machineTicks();
        double server = (ProcCpu.processTicks(run.server.pid()) - serverTicks) * ProcCpu.TICK_SECONDS;
        double target = (ProcCpu.processTicks(run.target.pid()) - targetTicks) * ProcCpu.TICK_SECONDS;
        double driver = (ProcCpu.processTicks(ProcessHandle.current().pid()) - driverTicks) * ProcCpu.TICK_SECONDS;
        double backend = (ProcCpu.sumTicks(backends) - backendTicks) * ProcCpu.TICK_SECONDS;
        double postgres = (ProcCpu.sumTicks(postgresPids) - postgresTicks) * ProcCpu.TICK_SECONDS;
        Map<Long, ProcCpu.ThreadTicks> threadsNow = ProcCpu.threadTicks(run.server.pid());
        Pg.Stats after = run.pg.stats();

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("window_s", round(seconds, 1));
        Map<String, Object> cpu = new LinkedHashMap<>();
        cpu.put("server_s", round(server, 1));
        cpu.put("target_s", round(target, 1));
        cpu.put("postgres_server_sessions_s", round(backend, 1));
        cpu.put("postgres_all_s", round(postgres, 1));
        cpu.put("driver_s", round(driver, 1));
        long busy = machineNow[0] - machine[0];
        long total = machineNow[1] - machine[1];
        cpu.put("machine_busy_pct", total == 0 ? 0 : round(100.0 * busy / total, 1));
        if (work > 0) {
            cpu.put("server_ms_per_unit", round(server * 1000 / work, 3));
            cpu.put("postgres_ms_per_unit", round(postgres * 1000 / work, 3));
        }
        result.put("cpu", cpu);
        result.put("tcp_listen_overflows", ProcCpu.listenOverflows() - listenOverflows);
        result.put("server_threads_cpu_s", threadGroups(threadsNow));

        Map<String, Object> db = new LinkedHashMap<>();
        long commits = after.commits() - stats.commits() - after.benchTransactions();
        db.put("commits", commits);
        db.put("rollbacks", after.rollbacks() - stats.rollbacks());
        db.put("commits_per_s", round(commits / seconds, 1));
        long scans = after.scans() - stats.scans();
        db.put("table_scans", scans);
        db.put("table_scans_per_s", round(scans / seconds, 1));
        db.put("rows_inserted", after.tupInserted() - stats.tupInserted());
        db.put("rows_updated", after.tupUpdated() - stats.tupUpdated());
        db.put("rows_deleted", after.tupDeleted() - stats.tupDeleted());
        db.put("rows_returned", after.tupReturned() - stats.tupReturned());
        db.put("rows_fetched", after.tupFetched() - stats.tupFetched());
        db.put("wal_syncs_all_dbs", after.walSyncs() - stats.walSyncs());
        db.put("wal_mb_all_dbs", round((after.walBytes() - stats.walBytes()) / 1048576.0, 1));
        if (work > 0) {
            db.put("commits_per_unit", round((double) commits / work, 3));
            db.put("table_scans_per_unit", round((double) scans / work, 2));
            db.put("rows_written_per_unit", round((double) (after.tupInserted() - stats.tupInserted()
                    + after.tupUpdated() - stats.tupUpdated() + after.tupDeleted() - stats.tupDeleted()) / work, 2));
            db.put("wal_bytes_per_unit_all_dbs", Math.round((double) (after.walBytes() - stats.walBytes()) / work));
        }
        result.put("db", db);
        result.put("db_tables", tables(after.tables(), work));
        result.put("db_indexes", indexes(after.indexes(), work));

        Map<String, Object> sessions = new LinkedHashMap<>();
        synchronized (waits) {
            int activeTotal = waits.values().stream().mapToInt(Integer::intValue).sum();
            sessions.put("samples", samples);
            sessions.put("avg_active", samples == 0 ? 0 : round((double) activeTotal / samples, 2));
            Map<String, Object> top = new LinkedHashMap<>();
            waits.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(8)
                    .forEach(e -> top.put(e.getKey(), round(100.0 * e.getValue() / Math.max(1, activeTotal), 1)));
            sessions.put("wait_pct_of_active", top);
        }
        result.put("db_sessions", sessions);

        List<CronhookProcess.GcPause> pauses = run.server.gcPauses();
        List<CronhookProcess.GcPause> inWindow = pauses.subList(Math.min(gcPausesBefore, pauses.size()), pauses.size());
        result.put("gc", gcSummary(inWindow));
        return result;
    }

    /**
     * Per table (busiest first): sequential scans and the rows they read, index scans, rows written; with per-unit
     * figures where a unit count is known. A table read by sequential scans on every event is a missing index or a
     * generic plan made while the table was empty.
     */
    private Map<String, Object> tables(Map<String, long[]> now, long work) {
        List<Map.Entry<String, long[]>> deltas = new ArrayList<>();
        now.forEach((table, t) -> {
            long[] before = stats.tables().getOrDefault(table, new long[5]);
            long[] d = new long[5];
            for (int i = 0; i < 5; i++) {
                d[i] = t[i] - before[i];
            }
            if (d[0] + d[2] + d[4] > 0) {
                deltas.add(Map.entry(table, d));
            }
        });
        deltas.sort((a, b) -> Long.compare(b.getValue()[0] + b.getValue()[2] + b.getValue()[4],
                a.getValue()[0] + a.getValue()[2] + a.getValue()[4]));
        Map<String, Object> tables = new LinkedHashMap<>();
        for (var entry : deltas.stream().limit(10).toList()) {
            long[] d = entry.getValue();
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("seq_scans", d[0]);
            t.put("seq_rows_read", d[1]);
            t.put("idx_scans", d[2]);
            t.put("rows_written", d[4]);
            if (work > 0) {
                t.put("scans_per_unit", round((double) (d[0] + d[2]) / work, 2));
                t.put("seq_rows_read_per_unit", round((double) d[1] / work, 1));
            }
            tables.put(entry.getKey(), t);
        }
        return tables;
    }

    /** Per index (busiest first): scans and index entries read, per unit where a unit count is known. */
    private Map<String, Object> indexes(Map<String, long[]> now, long work) {
        Map<String, Object> indexes = new LinkedHashMap<>();
        now.entrySet().stream()
                .map(e -> {
                    long[] before = stats.indexes().getOrDefault(e.getKey(), new long[2]);
                    return Map.entry(e.getKey(), new long[] {e.getValue()[0] - before[0], e.getValue()[1] - before[1]});
                })
                .filter(e -> e.getValue()[0] > 0)
                // Busiest first by scans plus entries read: a few scans that each read a long range count too.
                .sorted((a, b) -> Long.compare(b.getValue()[0] + b.getValue()[1], a.getValue()[0] + a.getValue()[1]))
                .limit(10)
                .forEach(e -> {
                    Map<String, Object> index = new LinkedHashMap<>();
                    index.put("scans", e.getValue()[0]);
                    index.put("entries_read", e.getValue()[1]);
                    if (work > 0) {
                        index.put("scans_per_unit", round((double) e.getValue()[0] / work, 2));
                        index.put("entries_read_per_unit", round((double) e.getValue()[1] / work, 1));
                    }
                    indexes.put(e.getKey(), index);
                });
        return indexes;
    }

    static Map<String, Object> gcSummary(List<CronhookProcess.GcPause> pauses) {
        Map<String, Object> gc = new LinkedHashMap<>();
        gc.put("pauses", pauses.size());
        gc.put("pause_ms_total", round(pauses.stream().mapToDouble(CronhookProcess.GcPause::ms).sum(), 1));
        gc.put("pause_ms_max", round(pauses.stream().mapToDouble(CronhookProcess.GcPause::ms).max().orElse(0), 1));
        gc.put("heap_used_peak_mb", round(pauses.stream().mapToDouble(CronhookProcess.GcPause::beforeMb).max()
                .orElse(0), 0));
        gc.put("heap_after_gc_max_mb", round(pauses.stream().mapToDouble(CronhookProcess.GcPause::afterMb).max()
                .orElse(0), 0));
        gc.put("heap_committed_max_mb", round(pauses.stream().mapToDouble(CronhookProcess.GcPause::committedMb).max()
                .orElse(0), 0));
        return gc;
    }

    private Map<String, Object> threadGroups(Map<Long, ProcCpu.ThreadTicks> now) {
        Map<String, Long> groups = new HashMap<>();
        now.forEach((tid, t) -> {
            ProcCpu.ThreadTicks before = serverThreads.get(tid);
            long delta = t.ticks() - (before == null ? 0 : before.ticks());
            if (delta > 0) {
                groups.merge(t.name().replaceAll("[0-9]+", "#"), delta, Long::sum);
            }
        });
        Map<String, Object> top = new LinkedHashMap<>();
        List<Map.Entry<String, Long>> sorted = new ArrayList<>(groups.entrySet());
        sorted.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
        sorted.stream().limit(10).forEach(e -> top.put(e.getKey(), round(e.getValue() * ProcCpu.TICK_SECONDS, 1)));
        return top;
    }

    static double round(double value, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }
}
