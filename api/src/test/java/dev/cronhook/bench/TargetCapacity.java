package dev.cronhook.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * T0: how many job-shaped requests per second the target answers on this machine, with the load generator (this
 * driver) on the same cores. The target must be well above 10,000/s or the scenarios measure it instead of Cronhook.
 */
final class TargetCapacity {
    private TargetCapacity() {
    }

    static Map<String, Object> run(Bench.Options options, TargetProcess target) {
        int connections = 64;
        long seconds = options.quick() ? 3 : 10;
        target.reset();
        long targetTicks = ProcCpu.processTicks(target.pid());
        long driverTicks = ProcCpu.processTicks(ProcessHandle.current().pid());
        long[] machine = ProcCpu.machineTicks();
        AtomicLong sent = new AtomicLong();
        AtomicLong executionIds = new AtomicLong();
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        long begin = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try (HttpConn conn = new HttpConn(target.port, null)) {
                    while (System.nanoTime() < deadline) {
                        conn.sendRaw(jobShapedRequest(target.port, executionIds.incrementAndGet()));
                        sent.incrementAndGet();
                    }
                }
            }));
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        double elapsed = (System.nanoTime() - begin) / 1e9;
        long[] machineNow = ProcCpu.machineTicks();
        JsonNode group = target.report().get("t0");
        double perSecond = sent.get() / elapsed;
        Map<String, Object> result = Bench.result("T0", "target capacity: job-shaped POSTs from 64 keep-alive "
                + "connections of the driver, target answering 200 at once");
        Table.metric(result, "requests/s", perSecond, "req/s", 10_000.0, true);
        Map<String, Object> checks = new LinkedHashMap<>();
        long counted = group == null ? 0 : group.get("count").asLong();
        checks.put("sent", sent.get());
        checks.put("counted_by_target", counted);
        checks.put("duplicates", group == null ? -1 : group.get("duplicates").asLong());
        Table.correctness(result, checks, counted == sent.get() && group.get("duplicates").asLong() == 0);
        Map<String, Object> cpu = new LinkedHashMap<>();
        cpu.put("target_s", Window.round((ProcCpu.processTicks(target.pid()) - targetTicks) * ProcCpu.TICK_SECONDS, 1));
        cpu.put("driver_s", Window.round((ProcCpu.processTicks(ProcessHandle.current().pid()) - driverTicks)
                * ProcCpu.TICK_SECONDS, 1));
        cpu.put("machine_busy_pct", Window.round(100.0 * (machineNow[0] - machine[0])
                / Math.max(1, machineNow[1] - machine[1]), 1));
        cpu.put("target_us_per_request", Window.round((ProcCpu.processTicks(target.pid()) - targetTicks)
                * ProcCpu.TICK_SECONDS * 1e6 / Math.max(1, sent.get()), 1));
        result.put("seconds", Window.round(elapsed, 1));
        result.put("cpu", cpu);
        target.reset();
        return result;
    }

    private static byte[] jobShapedRequest(int port, long n) {
        String executionId = "exe_bench" + n;
        String head = "POST /j?g=t0 HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUser-Agent: Cronhook/bench\r\n"
                + "X-Cronhook-Job-Id: job_bench\r\nX-Cronhook-Execution-Id: " + executionId + "\r\n"
                + "X-Cronhook-Attempt: 1\r\nX-Cronhook-Scheduled-For: " + Instant.now() + "\r\n"
                + "X-Cronhook-Signature: sha256=0000000000000000000000000000000000000000000000000000000000000000\r\n"
                + "webhook-id: " + executionId + "\r\nwebhook-timestamp: 1700000000\r\n"
                + "webhook-signature: v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\r\nContent-Length: 0\r\n\r\n";
        return head.getBytes(StandardCharsets.US_ASCII);
    }
}
