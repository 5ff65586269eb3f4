package dev.cronhook.delivery.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.cronhook.common.db.DbClients;
import dev.cronhook.common.db.Migrations;
import dev.cronhook.common.db.Rows;
import dev.cronhook.delivery.testing.TestDatabase;
import dev.cronhook.delivery.testing.TestDatabaseKind;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Heartbeats of several nodes over one real database, each node with a connection it can lose (the database away from
 * it, or a pause as long: its heartbeats do not land). One subclass per database.
 */
abstract class NodeHeartbeatContract {
    private static final Duration INTERVAL = Duration.ofMillis(100);
    private static final Duration TIMEOUT = Duration.ofMillis(600);

    private TestDatabase database;
    private final List<NodeHeartbeat> started = new ArrayList<>();
    private final List<DbClient> clients = new ArrayList<>();

    abstract TestDatabaseKind kind();

    @BeforeEach
    void createSchema() {
        database = TestDatabase.create(kind());
        Migrations.apply(database.dataSource(), "db/delivery", "delivery_schema_history");
    }

    @AfterEach
    void stopNodes() {
        started.forEach(NodeHeartbeat::close);
        clients.forEach(DbClient::close);
        database.close();
    }

    @Test
    void aNodeThatStopsHeartbeatingIsDeclaredDeadOnceAndItsWorkHandedOnWithinTheTimeout() {
        Member a = node();
        Member b = node();
        Member c = node();
        sleep(TIMEOUT.plus(INTERVAL.multipliedBy(2)));
        assertTrue(a.work.handedOn.isEmpty() && c.work.handedOn.isEmpty(), "nobody is dead while all heartbeat");

        b.connection.off();
        Instant lost = Instant.now();
        await("b declared dead", Duration.ofSeconds(3), () -> !a.work.handedOn.isEmpty() || !c.work.handedOn.isEmpty());
        Duration took = Duration.between(lost, Instant.now());
        assertTrue(took.compareTo(TIMEOUT.plus(INTERVAL.multipliedBy(3))) < 0, "declared dead within the timeout and "
                + "a few beats, took " + took);
        sleep(INTERVAL.multipliedBy(3));
        List<String> handedOn = new ArrayList<>(a.work.handedOn);
        handedOn.addAll(c.work.handedOn);
        assertEquals(List.of(b.heartbeat.nodeId()), handedOn, "one node hands b's work on, once");
        assertTrue(a.work.lookedSoon.get() + c.work.lookedSoon.get() >= 1, "and looks for it at once");
        assertEquals(Map.of(a.heartbeat.nodeId(), NodeState.ALIVE, b.heartbeat.nodeId(), NodeState.DEAD,
                c.heartbeat.nodeId(), NodeState.ALIVE), states(a.heartbeat));
        assertFalse(b.heartbeat.fresh(), "a node that cannot heartbeat is not fresh");
        assertTrue(a.heartbeat.fresh());
    }

    @Test
    void aNodeDeclaredDeadWhileItsHeartbeatsDidNotLandIsFencedAndAnnouncesItselfAgain() {
        Member a = node();
        Member b = node();
        sleep(TIMEOUT.plus(INTERVAL.multipliedBy(2)));

        b.connection.off(); // a long pause, or the database away from b alone: its heartbeats do not land
        await("b declared dead", Duration.ofSeconds(3), () -> a.work.handedOn.contains(b.heartbeat.nodeId()));
        assertEquals(0, b.work.fenced.get());
        b.connection.on();
        await("b fenced", Duration.ofSeconds(3), () -> b.work.fenced.get() >= 1);
        await("b alive again", Duration.ofSeconds(3), () -> states(a.heartbeat).get(b.heartbeat.nodeId()) == NodeState.ALIVE);
        assertEquals(List.of(b.heartbeat.nodeId()), b.work.handedOn, "b hands on what is still its own");
        // Told after the revival commits, which is what "alive again" saw: a moment later, on b's heartbeat thread.
        await("b looks for its work at once", Duration.ofSeconds(1), () -> b.work.lookedSoon.get() >= 1);
        sleep(TIMEOUT.plus(INTERVAL.multipliedBy(2)));
        assertEquals(1, b.work.fenced.get(), "heartbeating again, b is not fenced again");
        assertEquals(List.of(b.heartbeat.nodeId()), a.work.handedOn, "nor declared dead again");
        assertTrue(b.heartbeat.fresh());
    }

    @Test
    void afterAnOutageNoNodeTakesOthersOverBeforeTheyCouldAnnounceThemselves() {
        Member a = node();
        Member b = node();
        sleep(TIMEOUT.plus(INTERVAL.multipliedBy(2)));

        a.connection.off();
        b.connection.off();
        sleep(TIMEOUT.multipliedBy(2)); // the database is away from both for two timeouts: both look dead
        a.connection.on();
        assertFalse(a.heartbeat.mayTakeOver(), "a node that cannot heartbeat takes nothing over");
        sleep(INTERVAL.multipliedBy(3)); // a is back first
        assertTrue(a.heartbeat.fresh());
        assertFalse(a.heartbeat.mayTakeOver(), "not before a timeout of unbroken heartbeats");
        b.connection.on();
        sleep(TIMEOUT.plus(INTERVAL.multipliedBy(3)));
        assertEquals(List.of(), a.work.handedOn, "a gave b a timeout to announce itself, and it did");
        assertEquals(List.of(), b.work.handedOn);
        assertEquals(0, a.work.fenced.get() + b.work.fenced.get());
        assertTrue(a.heartbeat.mayTakeOver());
        assertEquals(Map.of(a.heartbeat.nodeId(), NodeState.ALIVE, b.heartbeat.nodeId(), NodeState.ALIVE),
                states(a.heartbeat));
    }

    @Test
    void aNewNodeTakesOverAStaleNodeOnlyAfterHeartbeatingForATimeout() {
        DbClient db = client(new Switch(database.dataSource()));
        Instant longAgo = Instant.now().minus(Duration.ofHours(1));
        db.execute().createInsert("INSERT INTO nodes (id, host, state, started_at, last_heartbeat_at) "
                        + "VALUES ('node_gone', 'old:8080', 'alive', :at, :at)")
                .addParam("at", Rows.at(longAgo))
                .execute();
        Instant start = Instant.now();
        Member a = node();
        await("the stale node declared dead", Duration.ofSeconds(3), () -> a.work.handedOn.contains("node_gone"));
        Duration after = Duration.between(start, Instant.now());
        assertTrue(after.compareTo(TIMEOUT) >= 0, "not before a timeout of its own heartbeats, was " + after);
        // The work is handed on inside the transaction that declares the node dead: its commit follows a moment later.
        await("the stale node dead in the database", Duration.ofSeconds(1),
                () -> states(a.heartbeat).get("node_gone") == NodeState.DEAD);
    }

    @Test
    void aSingleNodeThatStartsAgainIsTheOnlyNodeAndAGracefulStopIsRecorded() {
        NodeHeartbeat first = new NodeHeartbeat(client(new Switch(database.dataSource())), Clock.systemUTC(), "h:1",
                NodeHeartbeat.Settings.defaults(false).withInterval(INTERVAL).withTimeout(TIMEOUT));
        first.start();
        NodeHeartbeat second = new NodeHeartbeat(client(new Switch(database.dataSource())), Clock.systemUTC(), "h:1",
                NodeHeartbeat.Settings.defaults(false).withInterval(INTERVAL).withTimeout(TIMEOUT));
        second.start();
        started.add(second);
        first.close();
        assertEquals(Map.of(first.nodeId(), NodeState.STOPPED, second.nodeId(), NodeState.ALIVE), states(second));
        Node listed = second.nodes().stream().filter(n -> n.id().equals(second.nodeId())).findFirst().orElseThrow();
        assertEquals("h:1", listed.host());
        assertFalse(listed.lastHeartbeatAt().isBefore(listed.startedAt()));
    }

    // ----------------------------------------------------------------------------------------------------------------

    private record Member(NodeHeartbeat heartbeat, Switch connection, RecordingWork work) {
    }

    private Member node() {
        Switch connection = new Switch(database.dataSource());
        RecordingWork work = new RecordingWork();
        NodeHeartbeat heartbeat = new NodeHeartbeat(client(connection), Clock.systemUTC(), "host:8080",
                NodeHeartbeat.Settings.defaults(true).withInterval(INTERVAL).withTimeout(TIMEOUT));
        heartbeat.register(work);
        heartbeat.start();
        started.add(heartbeat);
        return new Member(heartbeat, connection, work);
    }

    private DbClient client(DataSource dataSource) {
        DbClient client = DbClients.over(dataSource);
        clients.add(client);
        return client;
    }

    private static Map<String, NodeState> states(NodeHeartbeat heartbeat) {
        return heartbeat.nodes().stream().collect(Collectors.toMap(Node::id, Node::state));
    }

    /** Records what a module's claimed work is asked to do. */
    private static final class RecordingWork implements NodeWork {
        final List<String> handedOn = new CopyOnWriteArrayList<>();
        final AtomicInteger lookedSoon = new AtomicInteger();
        final AtomicInteger fenced = new AtomicInteger();

        @Override
        public int handOn(DbExecute tx, String nodeId, Instant now) {
            handedOn.add(nodeId);
            return 1;
        }

        @Override
        public void lookSoon() {
            lookedSoon.incrementAndGet();
        }

        @Override
        public void fenced() {
            fenced.incrementAndGet();
        }
    }

    /** The test database's pool, or no connection at all while switched off. */
    private static final class Switch implements DataSource {
        private final DataSource pool;
        private volatile boolean off;

        Switch(DataSource pool) {
            this.pool = pool;
        }

        void off() {
            off = true;
        }

        void on() {
            off = false;
        }

        @Override
        public Connection getConnection() throws SQLException {
            if (off) {
                throw new SQLException("the database is away");
            }
            return pool.getConnection();
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return false;
        }
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + timeout.toMillis() + " ms waiting for: " + what);
            }
            sleep(Duration.ofMillis(20));
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
