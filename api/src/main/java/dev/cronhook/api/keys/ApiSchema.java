package dev.cronhook.api.keys;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** Applies the api module's migrations (API keys) with its own history table. */
public final class ApiSchema {
    private ApiSchema() {
    }

    public static void migrate(DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/api")
                .table("api_schema_history")
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
    }
}
