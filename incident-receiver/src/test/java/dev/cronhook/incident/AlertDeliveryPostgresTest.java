package dev.cronhook.incident;

import dev.cronhook.delivery.testing.TestDatabaseKind;

/** Alerts through the real delivery worker on PostgreSQL; never skipped. */
class AlertDeliveryPostgresTest extends AlertDeliveryContract {
    @Override
    TestDatabaseKind kind() {
        return TestDatabaseKind.POSTGRES;
    }
}
