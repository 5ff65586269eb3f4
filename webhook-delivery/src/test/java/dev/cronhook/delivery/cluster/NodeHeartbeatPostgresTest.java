package dev.cronhook.delivery.cluster;

import dev.cronhook.delivery.testing.TestDatabaseKind;

/** The heartbeat on PostgreSQL, as a cluster runs it. */
class NodeHeartbeatPostgresTest extends NodeHeartbeatContract {
    @Override
    TestDatabaseKind kind() {
        return TestDatabaseKind.POSTGRES;
    }
}
