package dev.cronhook.scheduler.quartz;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

/**
 * The only place that knows Quartz. Quartz is the durable, clustered clock of one repeating trigger whose firings
 * (exactly one node per firing in a cluster, recovered after a crash) call {@code onTick}.
 */
public final class QuartzTicker implements AutoCloseable {
    private static final String TICK = "cronhook-tick";

    /**
     * @param schedulerName nodes of one cluster share it
     * @param clustered     join a Quartz cluster on the shared database
     * @param postgres      use Quartz's PostgreSQL delegate (else the standard one, which H2 runs)
     * @param tickInterval  time between ticks
     */
    public record Settings(String schedulerName, boolean clustered, boolean postgres, Duration tickInterval) {
    }

    private final Scheduler scheduler;
    private final Settings settings;

    public QuartzTicker(DataSource dataSource, Settings settings, Runnable onTick) {
        this.settings = settings;
        String provider = "cronhook-" + UUID.randomUUID();
        DBConnectionManager.getInstance().addConnectionProvider(provider, new SharedPool(dataSource));
        Properties properties = new Properties();
        properties.setProperty("org.quartz.scheduler.instanceName", settings.schedulerName());
        properties.setProperty("org.quartz.scheduler.instanceId", "AUTO");
        properties.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        properties.setProperty("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
        properties.setProperty("org.quartz.threadPool.threadCount", "2");
        properties.setProperty("org.quartz.threadPool.makeThreadsDaemons", "true");
        properties.setProperty("org.quartz.scheduler.makeSchedulerThreadDaemon", "true");
        properties.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        properties.setProperty("org.quartz.jobStore.driverDelegateClass", settings.postgres()
                ? "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate"
                : "org.quartz.impl.jdbcjobstore.StdJDBCDelegate");
        properties.setProperty("org.quartz.jobStore.dataSource", provider);
        properties.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
        properties.setProperty("org.quartz.jobStore.isClustered", Boolean.toString(settings.clustered()));
        // The trigger fires once a minute: a slower check-in and misfire scan keep Quartz's own idle statements few.
        properties.setProperty("org.quartz.jobStore.clusterCheckinInterval", "20000");
        // Without it a Quartz cluster fires some triggers twice.
        properties.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        properties.setProperty("org.quartz.jobStore.misfireThreshold", "60000");
        // Job data as properties text, not Java serialization, which Helidon's JVM-wide serial filter refuses.
        properties.setProperty("org.quartz.jobStore.useProperties", "true");
        try {
            StdSchedulerFactory factory = new StdSchedulerFactory(properties);
            this.scheduler = factory.getScheduler();
            scheduler.setJobFactory((bundle, sched) -> new TickJob(onTick));
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot create the Quartz scheduler: " + e.getMessage(), e);
        }
    }

    public void start() {
        JobDetail job = JobBuilder.newJob(TickJob.class).withIdentity(TICK).storeDurably().build();
        Trigger trigger = TriggerBuilder.newTrigger()
                .withIdentity(TICK)
                .forJob(job)
                .startNow()
                .withSchedule(SimpleScheduleBuilder.simpleSchedule()
                        .withIntervalInMilliseconds(settings.tickInterval().toMillis())
                        .repeatForever()
                        // Ticks missed while every node was down are not replayed: the next tick claims all overdue runs.
                        .withMisfireHandlingInstructionNextWithRemainingCount())
                .build();
        try {
            scheduler.scheduleJob(job, Set.of(trigger), true);
            scheduler.start();
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot start the Quartz scheduler: " + e.getMessage(), e);
        }
    }

    public boolean isRunning() {
        try {
            return scheduler.isStarted() && !scheduler.isShutdown() && !scheduler.isInStandbyMode();
        } catch (SchedulerException e) {
            return false;
        }
    }

    @Override
    public void close() {
        try {
            scheduler.shutdown(true);
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot stop the Quartz scheduler: " + e.getMessage(), e);
        }
    }

    /** Quartz creates jobs through the factory set above; ticks never overlap, on one node or across a cluster. */
    @DisallowConcurrentExecution
    public static final class TickJob implements Job {
        private final Runnable onTick;

        TickJob(Runnable onTick) {
            this.onTick = onTick;
        }

        @Override
        public void execute(JobExecutionContext context) {
            onTick.run();
        }
    }

    /** Lends Quartz connections from the application's pool; Quartz's shutdown must not close that pool. */
    private record SharedPool(DataSource dataSource) implements ConnectionProvider {
        @Override
        public Connection getConnection() throws SQLException {
            return dataSource.getConnection();
        }

        @Override
        public void shutdown() {
        }

        @Override
        public void initialize() {
        }
    }
}
