package dev.cronhook.scheduler.runs;

import dev.cronhook.delivery.testing.TestDatabaseKind;

/**
 * The scheduler store contract on the real PostgreSQL at 127.0.0.1:5432 (a fresh schema), with Quartz clustered as
 * a cluster node runs it. An unreachable PostgreSQL fails this class; it is never skipped.
 */
class SchedulerStorePostgresTest extends SchedulerStoreContract {
    @Override
    TestDatabaseKind kind() {
        return TestDatabaseKind.POSTGRES;
    }
}
