package dev.cronhook.scheduler.runs;

import dev.cronhook.delivery.attempts.AttemptResult;
import dev.cronhook.delivery.attempts.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What the run engine counts, as Micrometer meters in the registry the server scrapes: attempts by outcome,
 * executions started and ended by status, a histogram of fire lag (the first attempt sent minus its fire time) and
 * one of the time attempts waited in their destination's queue for a connection. Prometheus names:
 * {@code cronhook_attempts_total{outcome}}, {@code cronhook_executions_started_total},
 * {@code cronhook_executions_total{status}}, {@code cronhook_fire_lag_seconds}, {@code cronhook_queue_wait_seconds}.
 */
public final class SchedulerMetrics {
    /** Upper bounds of the histograms' buckets, in seconds. */
    static final double[] BUCKETS = {0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
    /** How an attempt can leave its execution (done, or waiting for a retry), or a run end unsent (skipped). */
    private static final List<ExecutionStatus> ENDINGS = List.of(ExecutionStatus.SUCCEEDED, ExecutionStatus.FAILED,
            ExecutionStatus.RETRY_SCHEDULED, ExecutionStatus.SKIPPED);

    private final Map<Outcome, Counter> attempts = new EnumMap<>(Outcome.class);
    private final Map<ExecutionStatus, Counter> executionsEnded = new EnumMap<>(ExecutionStatus.class);
    private final Counter executionsStarted;
    private final Timer lag;
    private final Timer queued;

    public SchedulerMetrics(MeterRegistry registry) {
        for (Outcome outcome : Outcome.values()) {
            attempts.put(outcome, Counter.builder("cronhook.attempts").description("Job attempts by outcome.")
                    .tag("outcome", outcome.wireName()).register(registry));
        }
        for (ExecutionStatus status : ENDINGS) {
            executionsEnded.put(status, Counter.builder("cronhook.executions")
                    .description("Executions by outcome: succeeded or failed for good, or a retry scheduled after a "
                            + "failed attempt (counted once per retry), or skipped, as recorded by this node.")
                    .tag("status", status.wireName()).register(registry));
        }
        executionsStarted = Counter.builder("cronhook.executions.started")
                .description("Executions whose first attempt started.").register(registry);
        lag = histogram("cronhook.fire.lag", "When an execution's first attempt was sent minus its fire time (its "
                + "scheduled time plus any jitter).", registry);
        queued = histogram("cronhook.queue.wait", "How long job attempts waited in their destination's queue for a "
                + "free connection.", registry);
    }

    private static Timer histogram(String name, String description, MeterRegistry registry) {
        return Timer.builder(name).description(description)
                .serviceLevelObjectives(Arrays.stream(BUCKETS).mapToObj(s -> Duration.ofNanos((long) (s * 1e9)))
                        .toArray(Duration[]::new))
                .register(registry);
    }

    /** Attempts recorded by this node, by the status they left their execution in. */
    public void attemptsRecorded(List<ExecutionStatus> statuses) {
        for (ExecutionStatus status : statuses) {
            Counter counter = executionsEnded.get(status);
            if (counter != null) {
                counter.increment();
            }
        }
    }

    void executionSkipped() {
        executionsEnded.get(ExecutionStatus.SKIPPED).increment();
    }

    /** A run sent before its fire time (a clock step) counts as on time: Micrometer drops negative durations. */
    void executionStarted(Duration lag) {
        executionsStarted.increment();
        this.lag.record(lag.isNegative() ? Duration.ZERO : lag);
    }

    void attemptFinished(AttemptResult result) {
        attempts.get(result.outcome()).increment();
        queued.record(Duration.ofMillis(Math.max(0, result.queuedMillis())));
    }
}
