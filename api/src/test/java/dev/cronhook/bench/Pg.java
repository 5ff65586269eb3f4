package dev.cronhook.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's access to PostgreSQL: a fresh database per scenario run, read-only checks of what the server
 * recorded, and the statistics views that say what the database did. Monitoring queries go through a connection to
 * the {@code postgres} database so that they do not count in the benchmark database's own statistics.
 */
final class Pg implements AutoCloseable {
    static final String HOST_PORT = env("BENCH_PG_HOST_PORT", "127.0.0.1:5432");
    static final String USER = env("BENCH_PG_USER", "postgres");
    static final String PASSWORD = env("BENCH_PG_PASSWORD", "");

    final String database;
    private final Connection monitor;
    private final Connection bench;

    private Pg(String database) throws SQLException {
        this.database = database;
        this.monitor = connect("postgres");
        this.bench = connect(database);
    }

    static String url(String database) {
        return "jdbc:postgresql://" + HOST_PORT + "/" + database;
    }

    static Connection connect(String database) throws SQLException {
        java.util.Properties properties = new java.util.Properties();
        properties.setProperty("user", USER);
        properties.setProperty("password", PASSWORD);
        // Tells our sessions apart from the server's in pg_stat_activity.
        properties.setProperty("ApplicationName", "bench-driver");
        return DriverManager.getConnection(url(database), properties);
    }

    /** Creates an empty database for one scenario run. */
    static Pg createFresh(String prefix) throws SQLException {
        String name = (prefix + "_" + Long.toString(System.currentTimeMillis(), 36)).toLowerCase();
        try (Connection admin = connect("postgres"); Statement st = admin.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
        return new Pg(name);
    }

    long scalar(String sql) {
        try (Statement st = bench.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** The first row of a query on the benchmark database, as column → value. */
    Map<String, Object> row(String sql) {
        try (Statement st = bench.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            Map<String, Object> row = new LinkedHashMap<>();
            if (rs.next()) {
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                }
            }
            return row;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** Two-column query on the benchmark database as key → value (e.g. outcome → count). */
    Map<String, Long> counts(String sql) {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Statement st = bench.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                counts.put(String.valueOf(rs.getString(1)), rs.getLong(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
        return counts;
    }

    List<Long> longs(String sql) {
        List<Long> values = new ArrayList<>();
        try (Statement st = bench.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getLong(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
        return values;
    }

    List<String> strings(String sql) {
        List<String> values = new ArrayList<>();
        try (Statement st = bench.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
        return values;
    }

    /** Counters of the benchmark database and of the whole cluster's WAL, at one moment. */
    record Stats(long commits, long rollbacks, long tupReturned, long tupFetched, long tupInserted, long tupUpdated,
                 long tupDeleted, long scans, long walRecords, long walBytes, long walSyncs, long benchTransactions,
                 Map<String, long[]> tables, Map<String, long[]> indexes) {
    }

    Stats stats() {
        try (Statement st = monitor.createStatement()) {
            long[] db = new long[7];
            try (ResultSet rs = st.executeQuery("SELECT xact_commit, xact_rollback, tup_returned, tup_fetched, "
                    + "tup_inserted, tup_updated, tup_deleted FROM pg_stat_database WHERE datname = '" + database + "'")) {
                if (rs.next()) {
                    for (int i = 0; i < 7; i++) {
                        db[i] = rs.getLong(i + 1);
                    }
                }
            }
            long[] wal = new long[3];
            try (ResultSet rs = st.executeQuery("SELECT wal_records, wal_bytes, wal_sync FROM pg_stat_wal")) {
                if (rs.next()) {
                    for (int i = 0; i < 3; i++) {
                        wal[i] = rs.getLong(i + 1);
                    }
                }
            }
            // Table scans (sequential + index) of the benchmark database: close to the number of statements that read
            // or change a table. Read through the benchmark database, which counts one transaction of ours.
            long scans = 0;
            Map<String, long[]> tables = new LinkedHashMap<>();
            try (Statement benchSt = bench.createStatement(); ResultSet rs = benchSt.executeQuery(
                    "SELECT relname, seq_scan, seq_tup_read, COALESCE(idx_scan, 0), COALESCE(idx_tup_fetch, 0), "
                            + "n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_user_tables")) {
                while (rs.next()) {
                    long[] t = {rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6)};
                    tables.put(rs.getString(1), t);
                    scans += t[0] + t[2];
                }
            }
            Map<String, long[]> indexes = new LinkedHashMap<>();
            try (Statement benchSt = bench.createStatement(); ResultSet rs = benchSt.executeQuery(
                    "SELECT indexrelname, idx_scan, idx_tup_read FROM pg_stat_user_indexes")) {
                while (rs.next()) {
                    indexes.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)});
                }
            }
            return new Stats(db[0], db[1], db[2], db[3], db[4], db[5], db[6], scans, wal[0], wal[1], wal[2], 2,
                    tables, indexes);
        } catch (SQLException e) {
            throw new IllegalStateException("reading statistics: " + e.getMessage(), e);
        }
    }

    /** Process ids of the server sessions on the benchmark database (not ours). */
    List<Integer> backendPids() {
        List<Integer> pids = new ArrayList<>();
        try (Statement st = monitor.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT pid FROM pg_stat_activity WHERE datname = '" + database
                        + "' AND application_name NOT LIKE 'bench%'")) {
            while (rs.next()) {
                pids.add(rs.getInt(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return pids;
    }

    /** What each active session of the server is doing now: wait event, or "CPU" when it waits on nothing. */
    List<String> activeWaits() {
        List<String> waits = new ArrayList<>();
        try (Statement st = monitor.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT wait_event_type, wait_event FROM pg_stat_activity WHERE datname = '" + database
                        + "' AND state = 'active' AND application_name NOT LIKE 'bench%'")) {
            while (rs.next()) {
                String type = rs.getString(1);
                waits.add(type == null ? "CPU" : type + ":" + rs.getString(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return waits;
    }

    static String serverVersion() {
        try (Connection c = connect("postgres"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SHOW server_version")) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    /** Closes our connections and drops the database (the server must be stopped). */
    @Override
    public void close() {
        try {
            bench.close();
        } catch (SQLException e) {
            // dropped below anyway
        }
        try (Statement st = monitor.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        } catch (SQLException e) {
            System.err.println("could not drop " + database + ": " + e.getMessage());
        }
        try {
            monitor.close();
        } catch (SQLException e) {
            // nothing left to do
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
