package dev.cronhook.delivery.cluster;

import dev.cronhook.common.PrefixedIds;
import dev.cronhook.common.db.Transactions;
import io.helidon.dbclient.DbClient;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * This node's heartbeat in the {@code nodes} table, on a thread of its own over a database client of its own, so a
 * node busy sending or short of pooled connections is not taken for dead.
 *
 * <p>On each beat a node that has heartbeated without a break for a whole node timeout declares dead the alive nodes
 * whose heartbeat is older than the timeout, and hands their claimed work on ({@link NodeWork}). The unbroken run
 * matters after a database outage: every node's heartbeat is then old, and a node must give the others a timeout to
 * announce themselves again before it takes their runs. A node that finds it was declared dead (it paused, or the
 * database was away from it alone) drops what it held and hands on what the database still says is its own: a pause
 * costs at most a second send of the same attempt, never a lost run.
 */
public final class NodeHeartbeat implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(NodeHeartbeat.class.getName());
    /** Ended nodes stay listed for a day, then go. */
    private static final Duration KEEP_ENDED = Duration.ofDays(1);
    private static final Duration PURGE_INTERVAL = Duration.ofHours(1);

    /**
     * @param interval  how often the node heartbeats
     * @param timeout   a node whose heartbeat is older than this is dead
     * @param clustered whether other nodes may share the database; a single node that starts again is the only node
     */
    public record Settings(Duration interval, Duration timeout, boolean clustered) {
        public Settings {
            if (!interval.isPositive() || timeout.compareTo(interval.multipliedBy(2)) < 0) {
                throw new IllegalArgumentException("the node timeout must be at least two heartbeat intervals, got "
                        + timeout + " for " + interval);
            }
        }

        public static Settings defaults(boolean clustered) {
            return new Settings(Duration.ofSeconds(2), Duration.ofSeconds(10), clustered);
        }

        public Settings withInterval(Duration value) {
            return new Settings(value, timeout, clustered);
        }

        public Settings withTimeout(Duration value) {
            return new Settings(interval, value, clustered);
        }
    }

    private final NodeRepository nodes;
    private final DbClient db;
    private final Clock clock;
    private final Settings settings;
    private final String id;
    private final String host;
    private final List<NodeWork> work = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("cronhook-heartbeat").factory());
    /** The last heartbeat that reached the database. */
    private volatile Instant lastBeat;
    /** When the current unbroken run of heartbeats began; null after a failed one. */
    private volatile Instant beatingSince;
    private volatile Instant nextPurge = Instant.EPOCH;
    private volatile boolean outageLogged;
    /** Checks for dead nodes run twice per heartbeat: a death is found up to a beat sooner. */
    private long checks;

    /** {@code db}: a client over connections of the heartbeat's own. */
    public NodeHeartbeat(DbClient db, Clock clock, String host, Settings settings) {
        this.db = db;
        this.nodes = new NodeRepository(db);
        this.clock = clock;
        this.settings = settings;
        this.id = new PrefixedIds(clock).next("node");
        this.host = host;
    }

    public String nodeId() {
        return id;
    }

    public Settings settings() {
        return settings;
    }

    /** Work to hand on when a node dies, and to drop when this one is fenced; register before {@link #start()}. */
    public void register(NodeWork claimed) {
        work.add(claimed);
    }

    /** Announces the node and starts heartbeating. */
    public void start() {
        Instant now = clock.instant();
        nodes.insert(id, host, now);
        if (!settings.clustered()) {
            nodes.stopOthers(id);
        }
        lastBeat = now;
        beatingSince = now;
        long half = settings.interval().toMillis() / 2;
        beats.scheduleAtFixedRate(this::check, half, half, TimeUnit.MILLISECONDS);
        LOG.log(Level.INFO, "node " + id + " started on " + host);
    }

    /** Whether this node's heartbeat reached the database within the node timeout: only then may it take others' work. */
    public boolean fresh() {
        Instant last = lastBeat;
        return last != null && clock.instant().isBefore(last.plus(settings.timeout()));
    }

    /**
     * Whether this node may take over work other nodes claimed: on a single node always (there is no other); in a
     * cluster once its heartbeat has landed without a break for a whole node timeout, so that after a database
     * outage the others had the time to announce themselves and renew what they hold.
     */
    public boolean mayTakeOver() {
        if (!settings.clustered()) {
            return true;
        }
        Instant since = beatingSince;
        return since != null && !since.isAfter(clock.instant().minus(settings.timeout())) && fresh();
    }

    /** Every node the database knows, alive or ended within the last day. */
    public List<Node> nodes() {
        return nodes.list();
    }

    /** Every other check heartbeats; each one, on a node that may take over, looks for the dead. */
    private void check() {
        if (checks++ % 2 == 0) {
            beat();
        } else if (settings.clustered() && mayTakeOver()) {
            try {
                takeOverTheDead(clock.instant());
            } catch (RuntimeException e) {
                // The next beat finds out whether the database is away.
            }
        }
    }

    /** One heartbeat; then, if this node has beaten without a break for a timeout, the dead are taken over. */
    void beat() {
        Instant now = clock.instant();
        try {
            if (!nodes.beat(id, now)) {
                fence(now);
            }
            if (beatingSince == null) {
                beatingSince = now;
            }
            lastBeat = now;
            if (outageLogged) {
                outageLogged = false;
                LOG.log(Level.INFO, "node " + id + " heartbeats again");
            }
            if (settings.clustered() && mayTakeOver()) {
                takeOverTheDead(now);
            }
            if (!now.isBefore(nextPurge)) {
                nextPurge = now.plus(PURGE_INTERVAL);
                nodes.deleteEndedBefore(now.minus(KEEP_ENDED));
            }
        } catch (RuntimeException e) {
            beatingSince = null;
            if (!outageLogged) {
                outageLogged = true;
                LOG.log(Level.WARNING, "node " + id + " cannot heartbeat: " + e.getMessage());
            }
        }
    }

    private void takeOverTheDead(Instant now) {
        Instant cutoff = now.minus(settings.timeout());
        for (String dead : nodes.stale(id, cutoff)) {
            int handedOn = Transactions.inTransaction(db, tx -> {
                if (!nodes.declareDead(tx, dead, cutoff)) {
                    return -1;
                }
                return work.stream().mapToInt(w -> w.handOn(tx, dead, now)).sum();
            });
            if (handedOn >= 0) {
                LOG.log(Level.WARNING, "node " + dead + " declared dead: no heartbeat for " + settings.timeout()
                        + "; " + handedOn + " runs and deliveries it had claimed are taken over");
                work.forEach(NodeWork::lookSoon);
            }
        }
    }

    private void fence(Instant now) {
        work.forEach(NodeWork::fenced);
        int handedOn = Transactions.inTransaction(db, tx -> {
            int count = work.stream().mapToInt(w -> w.handOn(tx, id, now)).sum();
            nodes.revive(tx, id, now);
            return count;
        });
        LOG.log(Level.WARNING, "node " + id + " was declared dead while it could not heartbeat: it dropped what it "
                + "held, handed on " + handedOn + " claimed runs and deliveries, and is alive again");
        work.forEach(NodeWork::lookSoon);
    }

    /**
     * At the end of a graceful stop, once outcomes are stored: what this node still had claimed (requests cut off at
     * the deadline) is made claimable by any node now instead of when its lease runs out. Returns how many.
     */
    public int handOnOwnWork() {
        Instant now = clock.instant();
        int handedOn = Transactions.inTransaction(db, tx -> work.stream().mapToInt(w -> w.handOn(tx, id, now)).sum());
        if (handedOn > 0) {
            LOG.log(Level.INFO, "node " + id + " stopping: " + handedOn + " runs and deliveries it had not finished "
                    + "are handed on");
        }
        return handedOn;
    }

    /** A graceful stop: no more heartbeats, and the node is listed as stopped. */
    @Override
    public void close() {
        beats.shutdownNow();
        try {
            beats.awaitTermination(5, TimeUnit.SECONDS);
            nodes.markStopped(id, clock.instant());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "node " + id + " could not record its stop: " + e.getMessage());
        }
    }
}
