package dev.cronhook.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongPredicate;

/** One run of one scenario: a fresh database, the server on it, the shared target, and the API as a user calls it. */
final class ScenarioRun implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int CREATE_CONCURRENCY = 16;

    final Bench.Options options;
    final Pg pg;
    final CronhookProcess server;
    final TargetProcess target;
    final Path dir;
    long startMillis;

    ScenarioRun(Bench.Options options, String name, TargetProcess target, Path jar, Path workRoot,
                Map<String, String> extraEnv) {
        this.options = options;
        this.target = target;
        try {
            this.dir = Files.createDirectories(workRoot.resolve(name + "-" + System.currentTimeMillis()));
            this.pg = Pg.createFresh("cronhook_bench_" + name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a database on " + Pg.HOST_PORT + ": " + e.getMessage(), e);
        }
        Map<String, String> env = new java.util.LinkedHashMap<>(options.serverEnv());
        env.putAll(extraEnv);
        this.server = new CronhookProcess(jar, dir, pg.database, env, options.serverJvmOptions());
        target.reset();
    }

    /** Starts the server; with the built-in incident loop switched off when the options say so. */
    void start() {
        startMillis = server.start();
        if (!options.builtinLoop()) {
            try (HttpConn api = api()) {
                HttpConn.Response r = api.patch("/v1/webhooks/wh_0builtinincidentreceiver00", "{\"enabled\": false}");
                if (r.status() != 200) {
                    throw new IllegalStateException("cannot pause the built-in webhook: " + r.status() + " " + r.body());
                }
            }
        }
    }

    HttpConn api() {
        return new HttpConn(server.port, "Bearer " + CronhookProcess.ADMIN_KEY);
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What creating many jobs through the API took. */
    record Created(int count, long nanos, List<String> ids, Instant finishedAt) {
        double perSecond() {
            return count / (nanos / 1e9);
        }
    }

    /**
     * Creates the jobs through {@code POST /v1/jobs} from {@code concurrency} keep-alive connections, in the order
     * given (roughly: several connections run at once). Fails on the first refusal.
     */
    Created createJobs(List<String> bodies, int concurrency) {
        return create("/v1/jobs", "id", bodies, concurrency);
    }

    /** POSTs each body to {@code path} from {@code concurrency} clients; the ids are the replies' {@code field}. */
    Created create(String path, String field, List<String> bodies, int concurrency) {
        String[] ids = new String[bodies.size()];
        AtomicInteger next = new AtomicInteger();
        AtomicReference<String> failure = new AtomicReference<>();
        long begin = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < concurrency; t++) {
            threads.add(Thread.ofPlatform().name("bench-create-" + t).start(() -> {
                try (HttpConn api = api()) {
                    for (int i = next.getAndIncrement(); i < bodies.size() && failure.get() == null;
                         i = next.getAndIncrement()) {
                        HttpConn.Response r = api.post(path, bodies.get(i));
                        if (r.status() != 201) {
                            failure.compareAndSet(null, r.status() + " " + r.body());
                            return;
                        }
                        String body = r.body();
                        int at = body.indexOf("\"" + field + "\":\"") + field.length() + 4;
                        ids[i] = body.substring(at, body.indexOf('"', at));
                    }
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e.toString());
                }
            }));
        }
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (failure.get() != null) {
            throw new IllegalStateException("POST " + path + " failed: " + failure.get());
        }
        return new Created(bodies.size(), System.nanoTime() - begin, List.of(ids), Instant.now());
    }

    /**
     * Measures how fast this server creates jobs, on jobs that never come due in the benchmark (once a year on the
     * first of January), so that a scenario can place its run times after its own jobs are all created.
     */
    double calibrateCreates(int count) {
        double rate = 0;
        // Twice: the first round warms the server up (JIT), the second one is the rate.
        for (int round = 0; round < 2; round++) {
            List<String> bodies = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                bodies.add(Bench.cronJob("calibrate-" + round + "-" + i, target.url("calibrate", 0, 200),
                        (i % 60) + " " + (i % 24) + " 1 1 *"));
            }
            rate = createJobs(bodies, CREATE_CONCURRENCY).perSecond();
        }
        return rate;
    }

    /**
     * A whole second by which {@code jobs} more jobs will have been created through the API, with a margin, so that a
     * scenario's runs come due only after all its jobs exist. Returns it with the measured creation rate.
     */
    Instant startAfterCreating(int jobs) {
        double rate = calibrateCreates(1000);
        return Instant.now().plusMillis((long) (jobs / (rate * 0.75) * 1000) + 6000)
                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plusSeconds(1);
    }

    /*
     * The waits below read as little as they can: every statement of ours counts in the database statistics the
     * scenarios report (and costs the same two cores). A finished execution has neither a lease (lease_until) nor a
     * next attempt, and a finished delivery no next_attempt_at, so a probe or two of those columns' indexes say whether
     * anything is still running, waiting for a retry, or pending.
     * Deliveries are indexed by (endpoint_id, next_attempt_at): one probe per endpoint, skipping from one to the next.
     */

    /** The number of endpoints with a pending notification delivery (the built-in loop's backlog), 0 when none. */
    long pendingDeliveries() {
        return pg.scalar("WITH RECURSIVE endpoints (endpoint_id) AS ("
                + "(SELECT endpoint_id FROM deliveries ORDER BY endpoint_id LIMIT 1) UNION ALL "
                + "SELECT (SELECT d.endpoint_id FROM deliveries d WHERE d.endpoint_id > e.endpoint_id "
                + "ORDER BY d.endpoint_id LIMIT 1) FROM endpoints e WHERE e.endpoint_id IS NOT NULL) "
                // Ordered by both index columns: an EXISTS was answered from (endpoint_id, id), ~40,000 entries a probe in S6.
                + "SELECT COUNT(*) FROM endpoints e WHERE e.endpoint_id IS NOT NULL AND (SELECT d.next_attempt_at "
                + "FROM deliveries d WHERE d.endpoint_id = e.endpoint_id AND d.next_attempt_at IS NOT NULL "
                + "ORDER BY d.endpoint_id, d.next_attempt_at LIMIT 1) IS NOT NULL");
    }

    /** 1 while some execution is running or waiting for a retry, else 0 (a job's planned next run is no execution). */
    long unsettledExecutions() {
        return pg.scalar("SELECT COUNT(*) FROM ((SELECT 1 FROM executions WHERE lease_until IS NOT NULL LIMIT 1) "
                + "UNION ALL (SELECT 1 FROM executions WHERE next_attempt_at IS NOT NULL "
                + "AND status <> 'planned' LIMIT 1) LIMIT 1) t");
    }

    /**
     * Waits until the target has seen {@code expected} requests of a group, or until its count stops growing for
     * {@code stallMillis} after {@code notBefore} (runs that will never come), or the timeout. Answers whether it
     * saw them all.
     */
    boolean awaitTarget(String group, long expected, Instant notBefore, long stallMillis, long timeoutMillis) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        long last = -1;
        long lastChange = System.currentTimeMillis();
        while (System.currentTimeMillis() < deadline) {
            long count = target.count(group);
            if (count >= expected) {
                return true;
            }
            if (count != last) {
                last = count;
                lastChange = System.currentTimeMillis();
            } else if (System.currentTimeMillis() > notBefore.toEpochMilli()
                    && System.currentTimeMillis() - lastChange > stallMillis) {
                return false;
            }
            Bench.sleep(100);
        }
        return false;
    }

    /** Waits until no execution is running or waiting for a retry; answers whether that happened in time. */
    boolean awaitExecutionsSettled(long timeoutMillis) {
        return await(timeoutMillis, 250, this::unsettledExecutions, n -> n == 0);
    }

    /** Waits until {@code done} holds for the value polled, or the timeout; answers whether it held. */
    static boolean await(long timeoutMillis, long pollMillis, java.util.function.LongSupplier value, LongPredicate done) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            if (done.test(value.getAsLong())) {
                return true;
            }
            Bench.sleep(pollMillis);
        }
        return done.test(value.getAsLong());
    }

    /** Waits for the built-in loop to deliver everything; answers the seconds it took (or -1 past the timeout). */
    double awaitDeliveriesDrained(long timeoutMillis) {
        long begin = System.nanoTime();
        boolean drained = await(timeoutMillis, 250, this::pendingDeliveries, n -> n == 0);
        return drained ? Window.round((System.nanoTime() - begin) / 1e9, 1) : -1;
    }

    @Override
    public void close() {
        server.stop();
        if (!options.keepDatabases()) {
            pg.close();
        }
    }
}
