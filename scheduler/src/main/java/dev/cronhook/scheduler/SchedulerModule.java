package dev.cronhook.scheduler;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cronhook.delivery.HttpSender;
import dev.cronhook.delivery.PrefixedIds;
import dev.cronhook.delivery.outbox.DeliveryModule;
import io.helidon.dbclient.DbClient;
import java.time.Clock;
import javax.sql.DataSource;

/** Builds and owns the scheduler: migrations, repositories, the engine and the job service. */
public final class SchedulerModule implements AutoCloseable {
    private final JobService jobs;
    private final WebhookService webhooks;
    private final SchedulerEngine engine;
    private final SchedulerMetrics metrics;

    private SchedulerModule(JobService jobs, WebhookService webhooks, SchedulerEngine engine, SchedulerMetrics metrics) {
        this.jobs = jobs;
        this.webhooks = webhooks;
        this.engine = engine;
        this.metrics = metrics;
    }

    /**
     * Migrates the schema and starts firing; {@code json} is the application's mapper (bodies, headers, events).
     * Notification events go to {@code deliveries}, where this module registers its webhooks ({@code wh_…}).
     */
    public static SchedulerModule start(DataSource dataSource, DbClient db, HttpSender sender, ObjectMapper json,
                                        Clock clock, SchedulerSettings settings, DeliveryModule deliveries,
                                        UrlGuard urlGuard) {
        SchedulerSchema.migrate(dataSource);
        PrefixedIds ids = new PrefixedIds(clock);
        JobRepository jobRepository = new JobRepository(db, json);
        ExecutionRepository executionRepository = new ExecutionRepository(db, clock);
        Schedules schedules = new Schedules();
        SchedulerMetrics metrics = new SchedulerMetrics();
        WebhookRepository webhookRepository = new WebhookRepository(db, json);
        deliveries.register("wh", new WebhookDirectory(webhookRepository, clock));
        JobNotifications notifications = new JobNotifications(webhookRepository, jobRepository, deliveries.outbox(), ids,
                json, settings.retries(), clock);
        HeldRuns held = new HeldRuns(clock, settings.leaseGrace());
        KnownRetries knownRetries = new KnownRetries();
        OutcomeRecorder recorder = new OutcomeRecorder(db, executionRepository, jobRepository, notifications, clock,
                settings.retries(), batch -> {
                    knownRetries.addAll(batch.retriesDue());
                    held.release(batch.executionIds());
                });
        AttemptRunner runner = new AttemptRunner(sender, recorder, metrics);
        RunClaimer claimer = new RunClaimer(db, jobRepository, executionRepository, schedules, ids, clock, settings);
        SchedulerEngine engine = new SchedulerEngine(claimer, executionRepository, recorder, runner, held, knownRetries,
                dataSource, clock, settings);
        JobService jobs = new JobService(jobRepository, executionRepository, new JobValidator(clock, json, urlGuard),
                schedules, engine, ids, clock);
        WebhookService webhooks = new WebhookService(webhookRepository, new WebhookValidator(urlGuard), jobRepository,
                deliveries, ids, json, clock);
        engine.start();
        return new SchedulerModule(jobs, webhooks, engine, metrics);
    }

    public JobService jobs() {
        return jobs;
    }

    public WebhookService webhooks() {
        return webhooks;
    }

    public SchedulerMetrics metrics() {
        return metrics;
    }

    public boolean running() {
        return engine.running();
    }

    @Override
    public void close() {
        engine.close();
    }
}
