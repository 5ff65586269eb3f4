package dev.cronhook.delivery.cluster;

import dev.cronhook.delivery.testing.TestDatabaseKind;

class NodeHeartbeatH2Test extends NodeHeartbeatContract {
    @Override
    TestDatabaseKind kind() {
        return TestDatabaseKind.H2;
    }
}
