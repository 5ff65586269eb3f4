package dev.cronhook.scheduler.runs;

import dev.cronhook.delivery.attempts.AttemptResult;
import dev.cronhook.delivery.attempts.Outcome;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of attempts by outcome, a histogram of fire lag (the first attempt sent minus its fire time) and one
 * of the time attempts waited in their destination's queue for a connection.
 */
public final class SchedulerMetrics {
    /** Upper bounds of the buckets, in seconds. */
    static final double[] BUCKETS = {0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

    private final Map<Outcome, LongAdder> attempts = new EnumMap<>(Outcome.class);
    private final Histogram lag = new Histogram("cronhook_fire_lag_seconds",
            "When an execution's first attempt was sent minus its fire time (its scheduled time plus any jitter).");
    private final Histogram queued = new Histogram("cronhook_queue_wait_seconds",
            "How long job attempts waited in their destination's queue for a free connection.");
    private final LongAdder executionsStarted = new LongAdder();
    private final Map<ExecutionStatus, LongAdder> executionsEnded = new EnumMap<>(ExecutionStatus.class);

    public SchedulerMetrics() {
        for (Outcome outcome : Outcome.values()) {
            attempts.put(outcome, new LongAdder());
        }
        for (ExecutionStatus status : ENDINGS) {
            executionsEnded.put(status, new LongAdder());
        }
    }

    /** How an attempt can leave its execution (done, or waiting for a retry), or a run end unsent (skipped). */
    private static final java.util.List<ExecutionStatus> ENDINGS = java.util.List.of(ExecutionStatus.SUCCEEDED,
            ExecutionStatus.FAILED, ExecutionStatus.RETRY_SCHEDULED, ExecutionStatus.SKIPPED);

    /** Attempts recorded by this node, by the status they left their execution in. */
    public void attemptsRecorded(java.util.List<ExecutionStatus> statuses) {
        for (ExecutionStatus status : statuses) {
            LongAdder counter = executionsEnded.get(status);
            if (counter != null) {
                counter.increment();
            }
        }
    }

    void executionSkipped() {
        executionsEnded.get(ExecutionStatus.SKIPPED).increment();
    }

    void executionStarted(Duration lag) {
        executionsStarted.increment();
        this.lag.observe(lag);
    }

    void attemptFinished(AttemptResult result) {
        attempts.get(result.outcome()).increment();
        queued.observe(Duration.ofMillis(result.queuedMillis()));
    }

    public long attempts(Outcome outcome) {
        return attempts.get(outcome).sum();
    }

    /** Appends the metrics in the Prometheus text exposition format. */
    public void writePrometheus(StringBuilder out) {
        out.append("# HELP cronhook_attempts_total Job attempts by outcome.\n");
        out.append("# TYPE cronhook_attempts_total counter\n");
        for (Outcome outcome : Outcome.values()) {
            out.append("cronhook_attempts_total{outcome=\"").append(outcome.wireName()).append("\"} ")
                    .append(attempts.get(outcome).sum()).append('\n');
        }
        out.append("# HELP cronhook_executions_started_total Executions whose first attempt started.\n");
        out.append("# TYPE cronhook_executions_started_total counter\n");
        out.append("cronhook_executions_started_total ").append(executionsStarted.sum()).append('\n');
        out.append("# HELP cronhook_executions_total Executions by outcome: succeeded or failed for good, or a retry "
                + "scheduled after a failed attempt (counted once per retry), or skipped, as recorded by this node.\n");
        out.append("# TYPE cronhook_executions_total counter\n");
        for (ExecutionStatus status : ENDINGS) {
            out.append("cronhook_executions_total{status=\"").append(status.wireName()).append("\"} ")
                    .append(executionsEnded.get(status).sum()).append('\n');
        }
        lag.write(out);
        queued.write(out);
    }

    /** A Prometheus histogram over {@link #BUCKETS}; negative observations count as zero. */
    private static final class Histogram {
        private final String name;
        private final String help;
        private final LongAdder[] buckets = new LongAdder[BUCKETS.length];
        private final LongAdder count = new LongAdder();
        private final LongAdder sumMicros = new LongAdder();

        Histogram(String name, String help) {
            this.name = name;
            this.help = help;
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = new LongAdder();
            }
        }

        void observe(Duration value) {
            long nanos = Math.max(0, value.toNanos());
            double seconds = nanos / 1e9;
            count.increment();
            sumMicros.add(nanos / 1000);
            for (int i = 0; i < BUCKETS.length; i++) {
                if (seconds <= BUCKETS[i]) {
                    buckets[i].increment();
                    break;
                }
            }
        }

        void write(StringBuilder out) {
            out.append("# HELP ").append(name).append(' ').append(help).append('\n');
            out.append("# TYPE ").append(name).append(" histogram\n");
            long cumulative = 0;
            for (int i = 0; i < BUCKETS.length; i++) {
                cumulative += buckets[i].sum();
                out.append(name).append("_bucket{le=\"").append(BUCKETS[i]).append("\"} ").append(cumulative)
                        .append('\n');
            }
            long total = count.sum();
            out.append(name).append("_bucket{le=\"+Inf\"} ").append(total).append('\n');
            out.append(name).append("_sum ").append(sumMicros.sum() / 1e6).append('\n');
            out.append(name).append("_count ").append(total).append('\n');
        }
    }
}
