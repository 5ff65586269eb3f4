package dev.cronhook.incident;

import dev.cronhook.delivery.testing.TestDatabaseKind;

/** The receiver store contract on the embedded H2 database (PostgreSQL mode). */
class ReceiverStoreH2Test extends ReceiverStoreContract {
    @Override
    TestDatabaseKind kind() {
        return TestDatabaseKind.H2;
    }
}
