package dev.cronhook.incident;

import dev.cronhook.delivery.testing.TestDatabaseKind;

/** Alerts through the real delivery worker on H2. */
class AlertDeliveryH2Test extends AlertDeliveryContract {
    @Override
    TestDatabaseKind kind() {
        return TestDatabaseKind.H2;
    }
}
