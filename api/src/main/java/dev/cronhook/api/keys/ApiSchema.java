package dev.cronhook.api.keys;

import dev.cronhook.common.db.Migrations;
import javax.sql.DataSource;

/** Applies the api module's migrations (API keys). */
public final class ApiSchema {
    private ApiSchema() {
    }

    public static void migrate(DataSource dataSource) {
        Migrations.apply(dataSource, "db/api", "api_schema_history");
    }
}
