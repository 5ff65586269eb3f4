package dev.cronhook.api.e2e;

import dev.cronhook.delivery.testing.TestDatabase;
import dev.cronhook.delivery.testing.TestDatabaseKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fresh PostgreSQL schema and the packaged servers started on it; closing stops the servers and drops the schema.
 * PostgreSQL must be reachable: if it is not, the test fails.
 */
final class OnPostgres implements AutoCloseable {
    private final TestDatabase database = TestDatabase.create(TestDatabaseKind.POSTGRES);
    private final List<ServerProcess> servers = new ArrayList<>();

    TestDatabase database() {
        return database;
    }

    /** A server on the schema with {@code adminKey}; {@code env} adds to (or overrides) the database settings. */
    ServerProcess start(String name, String adminKey, Map<String, String> env) {
        Map<String, String> all = new LinkedHashMap<>(Map.of(
                "CRONHOOK_ADMIN_KEY", adminKey,
                "CRONHOOK_DB_URL", database.jdbcUrl(),
                "CRONHOOK_DB_USER", database.user(),
                "CRONHOOK_DB_PASSWORD", database.password()));
        all.putAll(env);
        ServerProcess server = ServerProcess.start(name, all);
        servers.add(server);
        return server;
    }

    ServerProcess start(String name, String adminKey) {
        return start(name, adminKey, Map.of());
    }

    @Override
    public void close() {
        try {
            servers.forEach(ServerProcess::close);
        } finally {
            database.close();
        }
    }
}
