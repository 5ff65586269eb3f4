package dev.cronhook.scheduler.notify;

import dev.cronhook.delivery.testing.TestDatabaseKind;

class NotificationsH2Test extends NotificationsContract {
    @Override
    TestDatabaseKind kind() {
        return TestDatabaseKind.H2;
    }
}
