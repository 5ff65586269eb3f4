package dev.cronhook.delivery.outbox;

import dev.cronhook.delivery.testing.TestDatabaseKind;

/** The delivery module contract on PostgreSQL, as a cluster runs it. */
class DeliveryModulePostgresTest extends DeliveryModuleContract {
    @Override
    TestDatabaseKind kind() {
        return TestDatabaseKind.POSTGRES;
    }
}
