package dev.cronhook.scheduler;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** Applies the scheduler's migrations (Quartz's tables, jobs, executions); each module keeps its own history table. */
public final class SchedulerSchema {
    private SchedulerSchema() {
    }

    public static void migrate(DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/scheduler")
                .table("scheduler_schema_history")
                // Other modules' tables may already be there; this module's history starts before its V1.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
    }
}
