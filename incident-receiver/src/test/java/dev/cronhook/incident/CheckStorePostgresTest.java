package dev.cronhook.incident;

import dev.cronhook.delivery.testing.TestDatabaseKind;

/** The check store contract on the real PostgreSQL at 127.0.0.1:5432 (a fresh schema); never skipped. */
class CheckStorePostgresTest extends CheckStoreContract {
    @Override
    TestDatabaseKind kind() {
        return TestDatabaseKind.POSTGRES;
    }
}
