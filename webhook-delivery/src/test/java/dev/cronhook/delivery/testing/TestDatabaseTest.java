package dev.cronhook.delivery.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TestDatabaseTest {

    @ParameterizedTest
    @EnumSource(TestDatabaseKind.class)
    void aFreshDatabaseStoresAndReturnsRows(TestDatabaseKind kind) throws SQLException {
        try (TestDatabase db = TestDatabase.create(kind);
                Connection connection = db.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            assertEquals(kind, db.kind());
            // Spelled out: H2 does not know PostgreSQL's TIMESTAMPTZ alias.
            statement.execute(
                    "CREATE TABLE job (id BIGINT PRIMARY KEY, name TEXT NOT NULL, run_at TIMESTAMP WITH TIME ZONE)");
            statement.execute("INSERT INTO job (id, name) VALUES (1, 'backup'), (2, 'report')");

            // Ordering with NULLs last by default is one of the PostgreSQL behaviours H2 is set to mimic.
            try (ResultSet rows = statement.executeQuery("SELECT name FROM job ORDER BY run_at, id")) {
                assertTrue(rows.next());
                assertEquals("backup", rows.getString(1));
                assertTrue(rows.next());
                assertEquals("report", rows.getString(1));
                assertFalse(rows.next());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabaseKind.class)
    void theJdbcUrlReachesTheSameDatabase(TestDatabaseKind kind) throws SQLException {
        try (TestDatabase db = TestDatabase.create(kind)) {
            try (Connection pooled = db.dataSource().getConnection();
                    Statement statement = pooled.createStatement()) {
                statement.execute("CREATE TABLE marker (id INT)");
            }
            try (Connection direct = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
                    Statement statement = direct.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT count(*) FROM marker")) {
                assertTrue(rows.next());
                assertEquals(0, rows.getInt(1));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabaseKind.class)
    void databasesAreIsolatedFromEachOther(TestDatabaseKind kind) throws SQLException {
        try (TestDatabase first = TestDatabase.create(kind);
                TestDatabase second = TestDatabase.create(kind)) {
            try (Connection connection = first.dataSource().getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE only_in_first (id INT)");
            }
            try (Connection connection = second.dataSource().getConnection();
                    Statement statement = connection.createStatement()) {
                assertThrows(SQLException.class, () -> statement.executeQuery("SELECT * FROM only_in_first"));
            }
        }
    }

    @Test
    void closingDropsThePostgresSchema() throws SQLException {
        TestDatabase db = TestDatabase.create(TestDatabaseKind.POSTGRES);
        String schema = db.jdbcUrl().substring(db.jdbcUrl().indexOf("currentSchema=") + "currentSchema=".length());
        try (Connection connection = db.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE job (id INT)");
        }
        assertTrue(schemaExists(schema));

        db.close();

        assertFalse(schemaExists(schema));
    }

    @Test
    void closingDeletesTheH2Files() throws SQLException {
        TestDatabase db = TestDatabase.create(TestDatabaseKind.H2);
        try (Connection connection = db.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE job (id INT)");
        }
        Path directory = Path.of(db.jdbcUrl().substring("jdbc:h2:file:".length(), db.jdbcUrl().indexOf(';')))
                .getParent();
        assertTrue(Files.isDirectory(directory));

        db.close();

        assertFalse(Files.exists(directory));
    }

    @Test
    void anUnreachablePostgresFailsLoudly() {
        var nowhere = new TestDatabase.PostgresSettings("jdbc:postgresql://127.0.0.1:1/postgres", "postgres", "");

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TestDatabase.createPostgres(nowhere));
        assertTrue(e.getMessage().contains("CRONHOOK_TEST_PG_URL"), e.getMessage());
    }

    private static boolean schemaExists(String schema) throws SQLException {
        var settings = TestDatabase.PostgresSettings.fromEnvironment();
        try (Connection connection = DriverManager.getConnection(settings.url(), settings.user(), settings.password());
                PreparedStatement query = connection.prepareStatement(
                        "SELECT count(*) FROM information_schema.schemata WHERE schema_name = ?")) {
            query.setString(1, schema);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getInt(1) == 1;
            }
        }
    }
}
