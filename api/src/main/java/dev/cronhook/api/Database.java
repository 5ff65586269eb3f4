package dev.cronhook.api;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.cronhook.common.db.DbClients;
import io.helidon.dbclient.DbClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;

/** The connection pool and DB Client: the embedded H2 file database by default, PostgreSQL when a URL is set. */
final class Database implements AutoCloseable {
    private final HikariDataSource dataSource;
    private final DbClient client;
    private final HikariDataSource heartbeatDataSource;
    private final DbClient heartbeatClient;
    private final boolean postgres;

    private Database(HikariDataSource dataSource, HikariDataSource heartbeatDataSource, boolean postgres) {
        this.dataSource = dataSource;
        this.heartbeatDataSource = heartbeatDataSource;
        this.postgres = postgres;
        this.client = DbClients.over(dataSource);
        this.heartbeatClient = DbClients.over(heartbeatDataSource);
    }

    /** @param meters where both pools publish their Micrometer meters ({@code hikaricp_connections_*}) */
    static Database open(Settings settings, MeterRegistry meters) {
        HikariConfig config = new HikariConfig();
        boolean postgres = !settings.embedded();
        if (postgres) {
            if (!settings.dbUrl().startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("CRONHOOK_DB_URL must be a PostgreSQL JDBC URL (jdbc:postgresql://host:5432/db)");
            }
            config.setJdbcUrl(settings.dbUrl());
            config.setUsername(settings.dbUser());
            config.setPassword(settings.dbPassword());
        } else {
            Path dir = settings.dataDir().toAbsolutePath().normalize();
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the data folder " + dir, e);
            }
            config.setJdbcUrl(h2Url(dir));
            config.setUsername("sa");
            config.setPassword("");
        }
        HikariConfig heartbeat = new HikariConfig();
        config.copyStateTo(heartbeat);
        config.setMaximumPoolSize(settings.poolSize());
        config.setPoolName("cronhook");
        // With the database away a request gets no connection within the wait and answers 503 instead of hanging;
        // a pooled connection is checked on loan within half of it.
        long waitMillis = settings.dbWait().toMillis();
        config.setConnectionTimeout(waitMillis);
        config.setValidationTimeout(Math.max(250, waitMillis / 2));
        if (postgres) {
            config.addDataSourceProperty("connectTimeout", Long.toString(Math.max(1, waitMillis / 1000)));
            // The last resort for a connection whose peer vanished without a word (a network partition): a statement
            // waits at most this long for an answer. Generous, since a retention sweep may delete for a while.
            config.addDataSourceProperty("socketTimeout", "120");
        }
        // The heartbeat has a connection of its own, so a node whose pool is busy is not taken for dead; a heartbeat
        // that cannot reach the database gives up within seconds and tries again at the next beat.
        heartbeat.setMaximumPoolSize(1);
        heartbeat.setPoolName("cronhook-heartbeat");
        heartbeat.setConnectionTimeout(2_000);
        heartbeat.setInitializationFailTimeout(-1);
        if (postgres) {
            heartbeat.addDataSourceProperty("socketTimeout", "5");
            heartbeat.addDataSourceProperty("connectTimeout", "2");
        }
        config.setMetricRegistry(meters);
        heartbeat.setMetricRegistry(meters);
        HikariDataSource pool = new HikariDataSource(config);
        return new Database(pool, new HikariDataSource(heartbeat), postgres);
    }

    /** The H2 options that let the PostgreSQL SQL of the repositories run unchanged. */
    static String h2Url(Path dir) {
        return "jdbc:h2:file:" + dir.resolve("cronhook") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
                // The server closes the database itself, after the scheduler: H2's own shutdown hook would close it
                // first, under the graceful stop (Quartz then retries for 15 s and claimed runs are not handed back).
                + ";DB_CLOSE_ON_EXIT=FALSE"
                // A commit reaches the file before it returns (H2 otherwise delays it up to 500 ms): a stored retry or
                // outcome must survive the process being killed right after.
                + ";WRITE_DELAY=0";
    }

    DataSource dataSource() {
        return dataSource;
    }

    DbClient client() {
        return client;
    }

    /** The heartbeat's own connection. */
    DbClient heartbeatClient() {
        return heartbeatClient;
    }

    boolean postgres() {
        return postgres;
    }

    /** True when a connection can be had and answers a trivial query. */
    boolean reachable() {
        try (var connection = dataSource.getConnection(); var statement = connection.createStatement()) {
            return statement.execute("SELECT 1");
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void close() {
        heartbeatClient.close();
        heartbeatDataSource.close();
        client.close();
        dataSource.close();
    }
}
