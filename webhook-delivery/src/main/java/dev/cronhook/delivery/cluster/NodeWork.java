package dev.cronhook.delivery.cluster;

import io.helidon.dbclient.DbExecute;
import java.time.Instant;

/**
 * Work a node claims in the database (runs, deliveries), handed on when a node dies or is fenced. Each module that
 * claims work registers one with the {@link NodeHeartbeat}.
 */
public interface NodeWork {
    /**
     * Makes what {@code nodeId} had claimed claimable by any node now, in the transaction that declares it dead (or,
     * for this node fenced, that re-announces it). Returns how many items were handed on.
     */
    int handOn(DbExecute tx, String nodeId, Instant now);

    /** After the hand-on committed: look for claimable work soon instead of at the next poll. */
    void lookSoon();

    /**
     * This node was declared dead while it could not heartbeat (a long pause, the database away from it): what it
     * held in memory may be another node's now, so it drops it without sending.
     */
    void fenced();
}
