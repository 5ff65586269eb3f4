package dev.cronhook.scheduler;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cronhook.delivery.HttpSender;
import dev.cronhook.delivery.PrefixedIds;
import io.helidon.dbclient.DbClient;
import java.time.Clock;
import javax.sql.DataSource;

/** Builds and owns the scheduler: migrations, repositories, the engine and the job service. */
public final class SchedulerModule implements AutoCloseable {
    private final JobService jobs;
    private final SchedulerEngine engine;
    private final SchedulerMetrics metrics;

    private SchedulerModule(JobService jobs, SchedulerEngine engine, SchedulerMetrics metrics) {
        this.jobs = jobs;
        this.engine = engine;
        this.metrics = metrics;
    }

    /** Migrates the schema and starts firing; {@code json} is the application's mapper (bodies, headers). */
    public static SchedulerModule start(DataSource dataSource, DbClient db, HttpSender sender, ObjectMapper json,
                                        Clock clock, SchedulerSettings settings) {
        SchedulerSchema.migrate(dataSource);
        PrefixedIds ids = new PrefixedIds(clock);
        JobRepository jobRepository = new JobRepository(db, json);
        ExecutionRepository executionRepository = new ExecutionRepository(db);
        Schedules schedules = new Schedules();
        SchedulerMetrics metrics = new SchedulerMetrics();
        OutcomeRecorder recorder = new OutcomeRecorder(db, executionRepository, jobRepository, clock,
                settings.retries());
        AttemptRunner runner = new AttemptRunner(clock, sender, recorder, metrics);
        RunClaimer claimer = new RunClaimer(db, jobRepository, executionRepository, schedules, ids, clock, settings);
        SchedulerEngine engine = new SchedulerEngine(claimer, executionRepository, recorder, runner, dataSource, clock,
                settings);
        JobService jobs = new JobService(jobRepository, executionRepository, new JobValidator(clock, json), schedules,
                engine, ids, clock);
        engine.start();
        return new SchedulerModule(jobs, engine, metrics);
    }

    public JobService jobs() {
        return jobs;
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
