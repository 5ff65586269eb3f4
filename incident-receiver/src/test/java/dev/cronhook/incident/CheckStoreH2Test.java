package dev.cronhook.incident;

import dev.cronhook.delivery.testing.TestDatabaseKind;

/** The check store contract on H2. */
class CheckStoreH2Test extends CheckStoreContract {
    @Override
    TestDatabaseKind kind() {
        return TestDatabaseKind.H2;
    }
}
