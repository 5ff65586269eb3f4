package dev.cronhook.scheduler.notify;

import dev.cronhook.delivery.testing.TestDatabaseKind;

class NotificationsPostgresTest extends NotificationsContract {
    @Override
    TestDatabaseKind kind() {
        return TestDatabaseKind.POSTGRES;
    }
}
