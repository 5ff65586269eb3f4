package dev.cronhook.incident;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cronhook.common.db.Migrations;
import dev.cronhook.delivery.testing.TestDatabase;
import dev.cronhook.delivery.testing.TestDatabaseKind;
import dev.cronhook.incident.incidents.IncidentRepository;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The plan of the open-incident lookup that every intake event runs, on the real PostgreSQL. The JDBC driver turns it
 * into a prepared statement whose generic plan is made early, often while {@code incidents} has no statistics, and
 * then kept: once that plan walked {@code incidents_integration} and read every incident of the integration per
 * event. Under {@code plan_cache_mode = force_generic_plan} it must look up the unique open key, and nothing else.
 */
class OpenIncidentLookupPostgresTest {
    private static final String INTEGRATION = "int_01jd3k9x2m4n5p6q7r8s9t0v1w";

    private TestDatabase database;

    @BeforeEach
    void freshSchema() {
        database = TestDatabase.create(TestDatabaseKind.POSTGRES);
        Migrations.apply(database.dataSource(), "db/receiver", "receiver_schema_history");
    }

    @AfterEach
    void drop() {
        database.close();
    }

    @Test
    void theGenericPlanLooksUpTheOpenKeyOnAFreshSchema() throws SQLException {
        assertUsesTheOpenKey(genericPlan());
    }

    @Test
    void theGenericPlanLooksUpTheOpenKeyWhenTenThousandIncidentsHaveNoStatistics() throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO integrations (id, name, type, token_hash, default_severity, created_at, "
                    + "updated_at) VALUES ('" + INTEGRATION + "', 'bench', 'generic', 'hash', 'sev2', now(), now())");
            statement.execute("INSERT INTO incidents (id, number, integration_id, dedup_key, open_key, title, "
                    + "body_is_json, severity, status, occurrences, created_at, last_occurrence_at, window_count) "
                    + "SELECT 'inc_' || g, g, '" + INTEGRATION + "', 'key-' || g, '" + INTEGRATION + ":key-' || g, "
                    + "'key-' || g, FALSE, 'sev2', 'triggered', 1, now(), now(), 0 FROM generate_series(1, 10000) g");
        }

        assertUsesTheOpenKey(genericPlan());
    }

    private List<String> genericPlan() throws SQLException {
        String sql = IncidentRepository.FIND_OPEN_FOR_UPDATE.replace("?", "$1");
        List<String> plan = new ArrayList<>();
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("SET plan_cache_mode = force_generic_plan");
            statement.execute("PREPARE find_open(varchar) AS " + sql);
            try (var rows = statement.executeQuery("EXPLAIN EXECUTE find_open('"
                    + IncidentRepository.openKey(INTEGRATION, "key-5") + "')")) {
                while (rows.next()) {
                    plan.add(rows.getString(1).strip());
                }
            } finally {
                statement.execute("DEALLOCATE find_open");
                statement.execute("RESET plan_cache_mode");
            }
        }
        return plan;
    }

    private static void assertUsesTheOpenKey(List<String> plan) {
        String text = String.join("\n", plan);
        assertTrue(plan.stream().anyMatch(line -> line.contains("Index Scan using incidents_open_key on incidents")),
                "the unique open key is the index scanned:\n" + text);
        assertTrue(plan.stream().anyMatch(line -> line.startsWith("Index Cond: ((open_key)::text = ($1)::text)")),
                "the key is the index condition:\n" + text);
        assertTrue(plan.stream().noneMatch(line -> line.startsWith("Filter:")),
                "no row is read only to be filtered out:\n" + text);
    }
}
