package dev.cronhook.delivery.outbox;

import dev.cronhook.delivery.testing.TestDatabaseKind;

/** The delivery module contract on the embedded H2 database (PostgreSQL mode). */
class DeliveryModuleH2Test extends DeliveryModuleContract {
    @Override
    TestDatabaseKind kind() {
        return TestDatabaseKind.H2;
    }
}
