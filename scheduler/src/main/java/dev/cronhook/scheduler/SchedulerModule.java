package dev.cronhook.scheduler;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cronhook.common.PrefixedIds;
import dev.cronhook.delivery.cluster.NodeHeartbeat;
import dev.cronhook.delivery.cluster.NodeWork;
import dev.cronhook.delivery.http.HttpSender;
import dev.cronhook.delivery.outbox.DeliveryModule;
import dev.cronhook.scheduler.jobs.JobRepository;
import dev.cronhook.scheduler.jobs.JobService;
import dev.cronhook.scheduler.jobs.JobValidator;
import dev.cronhook.scheduler.jobs.Schedules;
import dev.cronhook.scheduler.jobs.UrlGuard;
import dev.cronhook.scheduler.notify.JobNotifications;
import dev.cronhook.scheduler.notify.WebhookDirectory;
import dev.cronhook.scheduler.notify.WebhookRepository;
import dev.cronhook.scheduler.notify.WebhookService;
import dev.cronhook.scheduler.notify.WebhookValidator;
import dev.cronhook.scheduler.runs.AttemptRunner;
import dev.cronhook.scheduler.runs.CallbackService;
import dev.cronhook.scheduler.runs.ExecutionRepository;
import dev.cronhook.scheduler.runs.ExecutionService;
import dev.cronhook.scheduler.runs.HeldRuns;
import dev.cronhook.scheduler.runs.OutcomeRecorder;
import dev.cronhook.scheduler.runs.OverlapGuard;
import dev.cronhook.scheduler.runs.Retention;
import dev.cronhook.scheduler.runs.RunClaimer;
import dev.cronhook.scheduler.runs.SchedulerEngine;
import dev.cronhook.scheduler.runs.SchedulerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import dev.cronhook.scheduler.runs.SchedulerSettings;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;

/** Builds and owns the scheduler: migrations, repositories, the engine and the job service. */
public final class SchedulerModule implements AutoCloseable {
    private final JobService jobs;
    private final ExecutionService executionService;
    private final WebhookService webhooks;
    private final SchedulerEngine engine;
    private final ExecutionRepository executions;
    private final CallbackService callbacks;

    private SchedulerModule(JobService jobs, ExecutionService executionService, WebhookService webhooks, SchedulerEngine engine,
                            ExecutionRepository executions, CallbackService callbacks) {
        this.callbacks = callbacks;
        this.jobs = jobs;
        this.executionService = executionService;
        this.webhooks = webhooks;
        this.engine = engine;
        this.executions = executions;
    }

    /**
     * Migrates the schema and starts firing; {@code json} is the application's mapper (bodies, headers, events).
     * Notification events go to {@code deliveries}, where this module registers its webhooks ({@code wh_…}). The runs
     * a dead node claimed are handed on by {@code node}'s heartbeat, and this node takes over others' runs only while
     * its own heartbeat is fresh. The run engine's meters go to {@code meters}.
     */
    public static SchedulerModule start(DataSource dataSource, DbClient db, HttpSender sender, ObjectMapper json,
                                        Clock clock, SchedulerSettings settings, DeliveryModule deliveries,
                                        UrlGuard urlGuard, NodeHeartbeat node, MeterRegistry meters) {
        SchedulerSchema.migrate(dataSource);
        PrefixedIds ids = new PrefixedIds(clock);
        JobRepository jobRepository = new JobRepository(db, json);
        ExecutionRepository executionRepository = new ExecutionRepository(db, jobRepository, clock, node.nodeId());
        Schedules schedules = new Schedules();
        SchedulerMetrics metrics = new SchedulerMetrics(meters);
        WebhookRepository webhookRepository = new WebhookRepository(db, json);
        WebhookDirectory webhookDirectory = new WebhookDirectory(webhookRepository, clock);
        deliveries.register("wh", webhookDirectory);
        JobNotifications notifications = new JobNotifications(webhookRepository, jobRepository, deliveries.outbox(), ids,
                json, settings.retries(), clock);
        HeldRuns held = new HeldRuns(clock, settings.leaseGrace());
        // The engine is built after the recorder it closes; a job paused by its failures drops its claimed runs.
        AtomicReference<SchedulerEngine> engineOf = new AtomicReference<>();
        OutcomeRecorder recorder = new OutcomeRecorder(db, executionRepository, jobRepository, notifications, clock,
                settings.retries(), batch -> {
                    held.release(batch.executionIds());
                    metrics.attemptsRecorded(batch.ended());
                    batch.pausedJobIds().forEach(jobId -> engineOf.get().takeBack(jobId));
                    // Made due now (the next missed slot of a catch-up, an attempt whose callback came first): claimed
                    // now, not at the next tick.
                    batch.dueNowJobIds().forEach(jobId -> engineOf.get().offer(jobId));
                });
        AttemptRunner runner = new AttemptRunner(sender, recorder, metrics);
        RunClaimer claimer = new RunClaimer(db, jobRepository, executionRepository, schedules, ids, held,
                notifications, clock, settings, recorder::endAwaited);
        OverlapGuard overlaps = new OverlapGuard(db, jobRepository, executionRepository, notifications, metrics,
                clock);
        SchedulerEngine engine = new SchedulerEngine(claimer, executionRepository, recorder, runner, held, overlaps,
                dataSource, node::mayTakeOver, clock, settings);
        engineOf.set(engine);
        JobService jobs = new JobService(jobRepository, new JobValidator(clock, urlGuard,
                settings.publicUrl() != null), schedules, engine, ids, clock);
        WebhookService webhooks = new WebhookService(webhookRepository, new WebhookValidator(urlGuard), jobRepository,
                deliveries, webhookDirectory, ids, json, clock);
        node.register(new ClaimedRuns(executionRepository, engine));
        engine.start();
        return new SchedulerModule(jobs, new ExecutionService(jobs, executionRepository, engine, overlaps), webhooks, engine,
                executionRepository, new CallbackService(db, executionRepository, engine, clock));
    }

    /** The runs a node claimed: handed on when it dies; dropped from memory when this node is fenced. */
    private record ClaimedRuns(ExecutionRepository executions, SchedulerEngine engine) implements NodeWork {
        @Override
        public int handOn(DbExecute tx, String nodeId, Instant now) {
            return executions.handOn(tx, nodeId, now);
        }

        @Override
        public void lookSoon() {
            engine.takeOverSoon();
        }

        @Override
        public void fenced() {
            engine.fence();
        }
    }

    /** Sweeps {@code retention} with the executions, once a minute on one node. */
    public void retainAlso(Retention retention) {
        engine.retainAlso(retention);
    }

    /** Runs claimed under a lease that has not run out, by node id. */
    public Map<String, Integer> runsInHand() {
        return executions.runsInHand();
    }

    public JobService jobs() {
        return jobs;
    }

    public ExecutionService executions() {
        return executionService;
    }

    public CallbackService callbacks() {
        return callbacks;
    }

    public WebhookService webhooks() {
        return webhooks;
    }

    public boolean running() {
        return engine.running();
    }

    @Override
    public void close() {
        engine.close();
    }
}
