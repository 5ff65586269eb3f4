package dev.cronhook.scheduler;

import dev.cronhook.delivery.AttemptResult;
import dev.cronhook.delivery.Outcome;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Counters of attempts by outcome and a histogram of fire lag (start of the first attempt minus scheduled time). */
public final class SchedulerMetrics {
    /** Upper bounds of the lag buckets, in seconds. */
    static final double[] LAG_BUCKETS = {0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

    private final Map<Outcome, LongAdder> attempts = new EnumMap<>(Outcome.class);
    private final LongAdder[] lagBuckets = new LongAdder[LAG_BUCKETS.length];
    private final LongAdder lagCount = new LongAdder();
    private final LongAdder lagSumMicros = new LongAdder();
    private final LongAdder executionsStarted = new LongAdder();

    SchedulerMetrics() {
        for (Outcome outcome : Outcome.values()) {
            attempts.put(outcome, new LongAdder());
        }
        for (int i = 0; i < lagBuckets.length; i++) {
            lagBuckets[i] = new LongAdder();
        }
    }

    void executionStarted(Duration lag) {
        executionsStarted.increment();
        double seconds = Math.max(0, lag.toNanos()) / 1e9;
        lagCount.increment();
        lagSumMicros.add(Math.max(0, lag.toNanos() / 1000));
        for (int i = 0; i < LAG_BUCKETS.length; i++) {
            if (seconds <= LAG_BUCKETS[i]) {
                lagBuckets[i].increment();
                break;
            }
        }
    }

    void attemptFinished(AttemptResult result) {
        attempts.get(result.outcome()).increment();
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
        out.append("# HELP cronhook_fire_lag_seconds Start of an execution's first attempt minus its scheduled time.\n");
        out.append("# TYPE cronhook_fire_lag_seconds histogram\n");
        long cumulative = 0;
        for (int i = 0; i < LAG_BUCKETS.length; i++) {
            cumulative += lagBuckets[i].sum();
            out.append("cronhook_fire_lag_seconds_bucket{le=\"").append(LAG_BUCKETS[i]).append("\"} ")
                    .append(cumulative).append('\n');
        }
        long count = lagCount.sum();
        out.append("cronhook_fire_lag_seconds_bucket{le=\"+Inf\"} ").append(count).append('\n');
        out.append("cronhook_fire_lag_seconds_sum ").append(lagSumMicros.sum() / 1e6).append('\n');
        out.append("cronhook_fire_lag_seconds_count ").append(count).append('\n');
    }
}
