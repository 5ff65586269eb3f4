package dev.cronhook.api.e2e;

import static dev.cronhook.api.e2e.JobRequestAssertions.assertSignedJobRequest;
import static dev.cronhook.api.e2e.JobRequestAssertions.assertSucceeded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.cronhook.delivery.testing.TestDatabase;
import dev.cronhook.delivery.testing.TestDatabaseKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The packaged server on PostgreSQL ({@code CRONHOOK_DB_URL} naming a fresh schema): an every-second cron job
 * arrives signed, and a one-time job that falls due while the server is stopped fires once after the restart.
 * PostgreSQL must be reachable: if it is not, this class fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class JobsFirePostgresIT {
    private static final String ADMIN_KEY = "chk_e2e_" + UUID.randomUUID().toString().replace("-", "");

    private TestDatabase database;
    private Target target;
    private ServerProcess server;
    private Api api;

    @BeforeAll
    void start() {
        database = TestDatabase.create(TestDatabaseKind.POSTGRES);
        target = new Target();
        server = ServerProcess.start("postgres", Map.of(
                "CRONHOOK_ADMIN_KEY", ADMIN_KEY,
                "CRONHOOK_DB_URL", database.jdbcUrl(),
                "CRONHOOK_DB_USER", database.user(),
                "CRONHOOK_DB_PASSWORD", database.password()));
        api = new Api(server, ADMIN_KEY);
    }

    @AfterAll
    void stop() {
        try {
            if (server != null) {
                server.close();
            }
            if (target != null) {
                target.close();
            }
        } finally {
            if (database != null) {
                database.close();
            }
        }
    }

    @Order(1)
    @Test
    void theServerStoresItsDataInThePostgresSchema() throws IOException {
        List<String> tables = tablesOfTheSchema();
        assertTrue(tables.size() >= 3, "the migrations made tables in the test schema: " + tables);
        assertTrue(tables.stream().anyMatch(t -> t.toLowerCase().startsWith("qrtz_")),
                "the Quartz tables are in the schema too: " + tables);
        boolean h2Files;
        try (Stream<Path> files = Files.exists(server.dataDir()) ? Files.walk(server.dataDir()) : Stream.empty()) {
            h2Files = files.anyMatch(p -> p.getFileName().toString().endsWith(".db"));
        }
        assertFalse(h2Files, "no embedded H2 database with CRONHOOK_DB_URL set");
    }

    @Order(2)
    @Test
    void everySecondCronJobArrivesSigned() {
        String path = "/pg/every-second";
        ObjectNode body = Api.object().put("database", "postgresql").put("text", "grüße ✓");
        ObjectNode job = Api.object().put("name", "every second on postgres").put("url", target.url(path))
                .put("cron", "* * * * * *").put("method", "PATCH");
        job.set("body", body);
        job.putObject("headers").put("X-Team", "platform");
        JsonNode created = api.createJob(job);
        String jobId = created.get("id").textValue();
        try {
            List<LoggedRequest> arrived = target.awaitRequests(path, 2, Duration.ofSeconds(10));
            JobRequestAssertions.Received first = assertSignedJobRequest(arrived.get(0), created, "PATCH", body,
                    Map.of("X-Team", "platform"));
            JobRequestAssertions.Received second = assertSignedJobRequest(arrived.get(1), created, "PATCH", body,
                    Map.of("X-Team", "platform"));
            assertNotEquals(first.executionId(), second.executionId());
            assertTrue(second.scheduledFor().isAfter(first.scheduledFor()), first + " then " + second);

            List<JsonNode> executions = Poll.until("both runs recorded as succeeded", Duration.ofSeconds(10),
                    () -> api.executionsOf(jobId),
                    list -> Stream.of(first, second).allMatch(run -> list.stream().anyMatch(e ->
                            e.path("id").asText().equals(run.executionId())
                                    && e.path("status").asText().equals("succeeded"))));
            for (JobRequestAssertions.Received run : List.of(first, second)) {
                JsonNode execution = executions.stream().filter(e -> e.path("id").asText().equals(run.executionId()))
                        .findFirst().orElseThrow();
                assertSucceeded(execution, jobId, "schedule");
                assertEquals(run.scheduledFor(), Instant.parse(execution.path("scheduled_for").asText()));
            }
            // Each (job, scheduled time) has at most one execution.
            List<String> times = api.executionsOf(jobId).stream().map(e -> e.path("scheduled_for").asText()).toList();
            assertEquals(times.size(), times.stream().distinct().count(), "one execution per scheduled time: " + times);
        } finally {
            api.delete("/v1/jobs/" + jobId).expect(204);
        }
    }

    @Order(3)
    @Test
    void oneTimeJobDueWhileStoppedArrivesOnceAfterTheRestart() {
        RestartScenario scenario = RestartScenario.prepare(api, target, Instant.now());
        scenario.stopRightAway(server);
        scenario.whileStopped(target);
        server.startAgain();
        scenario.afterRestart(api, target);
    }

    private List<String> tablesOfTheSchema() {
        try (var connection = database.dataSource().getConnection();
             var rows = connection.createStatement().executeQuery(
                     "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")) {
            List<String> tables = new java.util.ArrayList<>();
            while (rows.next()) {
                tables.add(rows.getString(1));
            }
            return tables;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
