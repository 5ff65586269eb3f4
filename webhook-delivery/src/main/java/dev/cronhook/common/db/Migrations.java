package dev.cronhook.common.db;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** Applies one module's migrations; each module keeps its own history table, so modules migrate independently. */
public final class Migrations {
    private Migrations() {
    }

    /** Runs the scripts under {@code classpath:<location>} recorded in {@code historyTable}. */
    public static void apply(DataSource dataSource, String location, String historyTable) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:" + location)
                .table(historyTable)
                // Other modules' tables may already be there; this module's history starts before its V1.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
    }
}
