package dev.cronhook.scheduler.runs;

import dev.cronhook.delivery.testing.TestDatabaseKind;

/** The scheduler store contract on the embedded H2 database (PostgreSQL mode), as a single node runs it. */
class SchedulerStoreH2Test extends SchedulerStoreContract {
    @Override
    TestDatabaseKind kind() {
        return TestDatabaseKind.H2;
    }
}
