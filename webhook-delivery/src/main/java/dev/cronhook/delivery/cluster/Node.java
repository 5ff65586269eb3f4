package dev.cronhook.delivery.cluster;

import java.time.Instant;

/** A node as the cluster sees it: one process start, heartbeating in the database. */
public record Node(String id, String host, NodeState state, Instant startedAt, Instant lastHeartbeatAt) {
}
