package dev.cronhook.delivery.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * A fresh, empty database for one test class, on H2 or PostgreSQL.
 *
 * <p>H2 gets a new file database in a temporary directory; PostgreSQL gets a new schema
 * {@code t_<random>} in the configured database, selected through the JDBC URL's
 * {@code currentSchema} parameter, so code under test needs no schema awareness. Closing drops
 * it all. PostgreSQL must be reachable: a missing server fails the test instead of skipping it,
 * so a green build always means both databases were exercised.
 *
 * <p>PostgreSQL is found at {@code jdbc:postgresql://127.0.0.1:5432/postgres} as {@code postgres}
 * unless {@code CRONHOOK_TEST_PG_URL}, {@code CRONHOOK_TEST_PG_USER} or
 * {@code CRONHOOK_TEST_PG_PASSWORD} say otherwise.
 */
public final class TestDatabase implements AutoCloseable {

    private static final String H2_OPTIONS =
            ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
    private static final int MAX_POOL_SIZE = 10;

    // Databases a test forgot to close are still dropped when the JVM exits, so that the shared
    // PostgreSQL does not collect schemas run after run.
    private static final Set<TestDatabase> OPEN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(
                () -> OPEN.forEach(TestDatabase::close), "test-database-cleanup"));
    }

    /** Where the test PostgreSQL is; the defaults match a local trust-auth server. */
    public record PostgresSettings(String url, String user, String password) {

        public PostgresSettings {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
        }

        public static PostgresSettings fromEnvironment() {
            return new PostgresSettings(
                    env("CRONHOOK_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/postgres"),
                    env("CRONHOOK_TEST_PG_USER", "postgres"),
                    env("CRONHOOK_TEST_PG_PASSWORD", ""));
        }

        private static String env(String name, String fallback) {
            String value = System.getenv(name);
            return value == null || value.isBlank() ? fallback : value;
        }
    }

    private final TestDatabaseKind kind;
    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final Runnable dropStorage;
    private final HikariDataSource dataSource;
    private volatile boolean closed;

    private TestDatabase(TestDatabaseKind kind, String jdbcUrl, String user, String password,
            Runnable dropStorage) {
        this.kind = kind;
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.dropStorage = dropStorage;
        try {
            this.dataSource = pool(kind, jdbcUrl, user, password);
        } catch (RuntimeException e) {
            dropStorage.run();
            throw e;
        }
        OPEN.add(this);
    }

    public static TestDatabase create(TestDatabaseKind kind) {
        return switch (kind) {
            case H2 -> createH2();
            case POSTGRES -> createPostgres(PostgresSettings.fromEnvironment());
        };
    }

    public static TestDatabase createH2() {
        Path directory;
        try {
            directory = Files.createTempDirectory("cronhook-h2-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String url = "jdbc:h2:file:" + directory.resolve("test").toAbsolutePath() + H2_OPTIONS;
        return new TestDatabase(TestDatabaseKind.H2, url, "sa", "", () -> deleteRecursively(directory));
    }

    /** @throws IllegalStateException if PostgreSQL cannot be reached: tests must not silently skip it */
    public static TestDatabase createPostgres(PostgresSettings settings) {
        String schema = "t_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        execute(settings, "CREATE SCHEMA " + schema);
        String separator = settings.url().contains("?") ? "&" : "?";
        String url = settings.url() + separator + "currentSchema=" + schema;
        return new TestDatabase(TestDatabaseKind.POSTGRES, url, settings.user(), settings.password(),
                // A lock timeout, so a connection leaked by a test fails the drop instead of hanging it.
                () -> execute(settings, "SET lock_timeout = '10s'; DROP SCHEMA IF EXISTS " + schema + " CASCADE"));
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** A pool of up to {@value #MAX_POOL_SIZE} connections to this database. */
    public DataSource dataSource() {
        return dataSource;
    }

    public TestDatabaseKind kind() {
        return kind;
    }

    /** Closes the pool, then drops the PostgreSQL schema or deletes the H2 files. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        OPEN.remove(this);
        dataSource.close();
        dropStorage.run();
    }

    @Override
    public String toString() {
        return "TestDatabase[" + kind + " " + jdbcUrl + "]";
    }

    private static HikariDataSource pool(TestDatabaseKind kind, String url, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("test-" + kind.name().toLowerCase());
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(MAX_POOL_SIZE);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(10_000);
        return new HikariDataSource(config);
    }

    private static void execute(PostgresSettings settings, String sql) {
        Properties properties = new Properties();
        properties.setProperty("user", settings.user());
        properties.setProperty("password", settings.password());
        properties.setProperty("connectTimeout", "5");
        try (Connection connection = DriverManager.getConnection(settings.url(), properties);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Test PostgreSQL at " + settings.url() + " as "
                    + settings.user() + " failed (" + e.getMessage() + "). Tests need a running "
                    + "PostgreSQL; point CRONHOOK_TEST_PG_URL, CRONHOOK_TEST_PG_USER and "
                    + "CRONHOOK_TEST_PG_PASSWORD at one.", e);
        }
    }

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete test database " + directory, e);
        }
    }
}
