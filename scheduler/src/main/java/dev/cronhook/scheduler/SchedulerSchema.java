package dev.cronhook.scheduler;

import dev.cronhook.common.db.Migrations;
import javax.sql.DataSource;

/** Applies the scheduler's migrations (Quartz's tables, jobs, executions). */
public final class SchedulerSchema {
    private SchedulerSchema() {
    }

    public static void migrate(DataSource dataSource) {
        Migrations.apply(dataSource, "db/scheduler", "scheduler_schema_history");
    }
}
