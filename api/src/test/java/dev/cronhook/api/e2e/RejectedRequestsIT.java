package dev.cronhook.api.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every invalid input of PRODUCT.md section 3, and the HTTP-level refusals of section 2, answered with an RFC 9457
 * problem; and afterwards the jobs stored before are exactly as they were.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RejectedRequestsIT {
    private static final String ADMIN_KEY = "chk_e2e_" + UUID.randomUUID().toString().replace("-", "");
    /** Well-formed ids that name nothing. */
    private static final String UNKNOWN_JOB = "job_00000000000000000000000000";
    private static final String UNKNOWN_EXECUTION = "exe_00000000000000000000000000";

    private ServerProcess server;
    private Api api;
    private List<String> storedIds;
    private JsonNode storedJobs;

    @BeforeAll
    void start() {
        server = ServerProcess.start("rejected", Map.of("CRONHOOK_ADMIN_KEY", ADMIN_KEY));
        api = new Api(server, ADMIN_KEY);

        // Jobs stored before the rejected requests, at the limits of what is valid.
        ObjectNode atTheLimits = validJob().put("name", "n".repeat(200)).put("method", "delete")
                .put("timeout_seconds", 120).put("body", "b".repeat(64 * 1024));
        ObjectNode headers = atTheLimits.putObject("headers");
        for (int i = 0; i < 50; i++) {
            headers.put("X-Header-" + i, "value " + i);
        }
        ObjectNode once = Api.object().put("name", "once, disabled").put("url", "https://127.0.0.1:9/once")
                .put("run_at", Instant.now().plusSeconds(86_400).toString()).put("timeout_seconds", 1)
                .put("enabled", false);
        once.putObject("body").put("json", true);
        storedIds = List.of(api.createJob(atTheLimits).get("id").textValue(), api.createJob(once).get("id").textValue());
        storedJobs = api.get("/v1/jobs?limit=500").expect(200);
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    // ---- invalid jobs: 422 with the field named

    static Stream<Arguments> invalidJobs() {
        List<Arguments> cases = new ArrayList<>();
        cases.add(invalid("missing name", job -> job.remove("name"), "name"));
        cases.add(invalid("empty name", job -> job.put("name", ""), "name"));
        cases.add(invalid("name of 201 characters", job -> job.put("name", "n".repeat(201)), "name"));
        cases.add(invalid("missing url", job -> job.remove("url"), "url"));
        cases.add(invalid("relative url", job -> job.put("url", "/hooks/nightly"), "url"));
        cases.add(invalid("ftp url", job -> job.put("url", "ftp://127.0.0.1/file"), "url"));
        cases.add(invalid("url with userinfo", job -> job.put("url", "http://user:secret@127.0.0.1/x"), "url"));
        // The network policy (default mode) refuses these literal addresses at create time.
        for (String refused : List.of("http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/x", "http://0.0.0.0/x",
                "http://2852039166/x", "http://[::ffff:169.254.169.254]/x", "http://0xa9fea9fe/x", "http://224.0.0.1/x",
                "http://255.255.255.255/x", "http://[fd00:ec2::254]/x")) {
            cases.add(invalid("refused address " + refused, job -> job.put("url", refused), "url"));
        }
        for (String port : List.of("http://127.0.0.1:0/x", "http://127.0.0.1:65536/x", "http://127.0.0.1:99999999/x")) {
            cases.add(invalid("url " + port, job -> job.put("url", port), "url"));
        }
        cases.add(invalid("NUL in name", job -> job.put("name", "a\u0000b"), "name"));
        cases.add(invalid("escape character in name", job -> job.put("name", "a\u001bb"), "name"));
        cases.add(invalid("NUL in a JSON body", job -> job.putObject("body").putArray("items").add("ok").add("a\u0000"),
                "body.items[1]"));
        cases.add(invalid("NUL in a string body", job -> job.put("body", "x\u0000y"), "body"));
        cases.add(invalid("NUL in a header value", job -> job.putObject("headers").put("X-Trace", "a\u0000"),
                "headers.X-Trace"));
        cases.add(invalid("Proxy-Authorization header", job -> job.putObject("headers")
                .put("Proxy-Authorization", "Basic eDp5"), "headers.Proxy-Authorization"));
        cases.add(invalid("header value over 8 KiB", job -> job.putObject("headers").put("X-Big", "v".repeat(8193)),
                "headers.X-Big"));
        cases.add(invalid("run_at beyond the year 9999", job -> {
            job.remove("cron");
            job.put("run_at", "+999999999-12-31T23:59:59Z");
        }, "run_at"));
        cases.add(invalid("run_at in the year 10000", job -> {
            job.remove("cron");
            job.put("run_at", "+10000-01-01T00:00:00Z");
        }, "run_at"));
        cases.add(invalid("method TRACE", job -> job.put("method", "TRACE"), "method"));
        cases.add(invalid("method HEAD", job -> job.put("method", "HEAD"), "method"));
        cases.add(invalid("51 headers", job -> {
            ObjectNode headers = job.putObject("headers");
            for (int i = 0; i < 51; i++) {
                headers.put("X-Header-" + i, "v");
            }
        }, "headers"));
        for (String forbidden : List.of("Host", "Content-Length", "User-Agent", "X-Cronhook-Foo", "webhook-id",
                "x-cronhook-attempt", "Webhook-Signature")) {
            cases.add(invalid("forbidden header " + forbidden, job -> job.putObject("headers").put(forbidden, "x"),
                    "headers"));
        }
        cases.add(invalid("string body over 64 KiB", job -> job.put("body", "b".repeat(64 * 1024 + 1)), "body"));
        cases.add(invalid("JSON body over 64 KiB", job -> job.putObject("body").put("data", "b".repeat(64 * 1024)),
                "body"));
        for (String cron : List.of("* * * *", "61 * * * *", "@reboot", "* * * * * * *", "0 25 * * *", "0 0 32 * *",
                "0 0 * 13 *", "0 0 * * 8", "*/0 * * * *", "0 0 30 2 *", "every minute", "")) {
            cases.add(invalid("cron '" + cron + "'", job -> job.put("cron", cron), "cron"));
        }
        cases.add(invalid("unknown timezone", job -> job.put("timezone", "Mars/Olympus_Mons"), "timezone"));
        cases.add(invalid("run_at in the past", job -> {
            job.remove("cron");
            job.put("run_at", Instant.now().minusSeconds(3600).toString());
        }, "run_at"));
        for (String runAt : List.of("tomorrow", "2030-13-01T00:00:00Z", "2030-01-01 10:00", "2030-01-01T10:00:00",
                "1700000000")) {
            cases.add(invalid("run_at '" + runAt + "'", job -> {
                job.remove("cron");
                job.put("run_at", runAt);
            }, "run_at"));
        }
        cases.add(invalid("both cron and run_at",
                job -> job.put("run_at", Instant.now().plusSeconds(3600).toString()), "cron", "run_at"));
        cases.add(invalid("neither cron nor run_at", job -> job.remove("cron"), "cron", "run_at"));
        cases.add(invalid("timeout_seconds 0", job -> job.put("timeout_seconds", 0), "timeout_seconds"));
        cases.add(invalid("timeout_seconds 121", job -> job.put("timeout_seconds", 121), "timeout_seconds"));
        cases.add(invalid("enabled \"yes\"", job -> job.put("enabled", "yes"), "enabled"));
        return cases.stream();
    }

    private static Arguments invalid(String what, Consumer<ObjectNode> change, String... fields) {
        return Arguments.of(what, change, List.of(fields));
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidJobs")
    void invalidJobIsRefusedNamingTheField(String what, Consumer<ObjectNode> change, List<String> fields) {
        ObjectNode job = validJob();
        change.accept(job);
        JsonNode problem = assertProblem(api.post("/v1/jobs", job), 422);
        assertFieldNamed(problem, field -> fields.stream().anyMatch(f -> field.equals(f)
                || (f.equals("headers") && field.startsWith("headers."))), what + ": expected a field of " + fields);
    }

    @Order(1)
    @Test
    void invalidPatchIsRefusedAndChangesNothing() {
        String id = storedIds.get(0);
        JsonNode problem = assertProblem(api.patch("/v1/jobs/" + id,
                Api.object().put("name", "changed").put("cron", "61 * * * *")), 422);
        assertFieldNamed(problem, "cron"::equals, "PATCH with a bad cron");
        problem = assertProblem(api.patch("/v1/jobs/" + id, Api.object().put("timeout_seconds", 0)), 422);
        assertFieldNamed(problem, "timeout_seconds"::equals, "PATCH with a bad timeout");
    }

    // ---- malformed, wrong type, too large

    @Order(1)
    @Test
    void invalidUtf8AndQueriesThatCannotBeIdsAre400() {
        // C0 AF is an overlong "/": a lenient decoder would store "a/b".
        byte[] overlong = "{\"name\": \"aXXb\", \"url\": \"http://127.0.0.1:9/x\", \"cron\": \"0 0 1 1 *\"}"
                .getBytes(StandardCharsets.UTF_8);
        int at = new String(overlong, StandardCharsets.UTF_8).indexOf("XX");
        overlong[at] = (byte) 0xC0;
        overlong[at + 1] = (byte) 0xAF;
        assertTrue(assertProblem(api.send("POST", "/v1/jobs", "application/json", overlong), 400)
                .path("detail").asText().contains("UTF-8"));
        byte[] truncated = "{\"name\": \"a\u00e9\"}".getBytes(StandardCharsets.UTF_8);
        truncated[truncated.length - 3] = (byte) 0xC3; // a lead byte followed by '"'
        assertProblem(api.send("POST", "/v1/jobs", "application/json", truncated), 400);
        for (String query : List.of("/v1/jobs?cursor=%00", "/v1/executions?job_id=%00", "/v1/executions?cursor=a%00b",
                "/v1/incidents?cursor=%00", "/v1/executions?job_id=nightly", "/v1/jobs?cursor=job_1",
                "/v1/incidents?integration_id=int_", "/v1/webhooks?cursor=exe_01m92qe54dr6cyqebz24h3bs7x")) {
            JsonNode problem = assertProblem(api.get(query), 400);
            assertFieldNamed(problem, field -> query.contains(field + "="), query);
        }
    }

    @Order(1)
    @Test
    void requestsTheServerCannotParseAreAnsweredAsProblems() throws Exception {
        Api.Reply longUri = api.get("/v1/jobs?cursor=" + "a".repeat(40_000));
        assertTrue(longUri.status() == 414 || longUri.status() == 400, longUri.toString());
        assertProblem(longUri, longUri.status());
        for (String garbage : List.of("GARBAGE\r\n\r\n", "GET /v1/jobs HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n")) {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
                socket.setSoTimeout(5000);
                socket.getOutputStream().write(garbage.getBytes(StandardCharsets.US_ASCII));
                String reply = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(reply.startsWith("HTTP/1.1 400"), garbage + " -> " + reply);
                assertTrue(reply.toLowerCase(java.util.Locale.ROOT).contains("content-type: application/problem+json"),
                        reply);
                assertTrue(reply.contains("\"status\":400"), reply);
            }
        }
    }

    @Order(1)
    @Test
    void alertChannelsRefuseLiteralAddressesThePolicyRefusesAndBadPorts() {
        for (String url : List.of("http://169.254.169.254/latest/meta-data/", "http://2852039166/x", "http://[fe80::1]/x",
                "http://127.0.0.1:0/x", "https://alerts.example.com:70000/in")) {
            JsonNode problem = assertProblem(api.post("/v1/channels", Api.object().put("type", "webhook")
                    .put("url", url)), 422);
            assertFieldNamed(problem, "url"::equals, "channel url " + url);
        }
    }

    @Order(1)
    @Test
    void malformedJsonIs400() {
        assertProblem(api.send("POST", "/v1/jobs", "application/json",
                "{\"name\": \"x\", \"url\": ".getBytes(StandardCharsets.UTF_8)), 400);
        assertProblem(api.send("POST", "/v1/jobs", "application/json",
                "{\"name\": \"x\"} trailing".getBytes(StandardCharsets.UTF_8)), 400);
    }

    @Order(1)
    @Test
    void bodyThatIsNotDeclaredJsonIs415() {
        byte[] body = Api.bytes(validJob());
        assertProblem(api.send("POST", "/v1/jobs", "text/plain", body), 415);
        assertProblem(api.send("POST", "/v1/jobs", "application/x-www-form-urlencoded", body), 415);
    }

    @Order(1)
    @Test
    void requestBodyOverTheLimitIs413() {
        // CRONHOOK_MAX_REQUEST_BODY defaults to 256 KiB.
        byte[] body = Api.bytes(validJob().put("body", "b".repeat(300 * 1024)));
        assertProblem(api.send("POST", "/v1/jobs", "application/json", body), 413);

        // The same without a Content-Length (chunked): the limit is enforced on what is read.
        HttpRequest chunked = HttpRequest.newBuilder(api.uri("/v1/jobs"))
                .timeout(Duration.ofSeconds(15))
                .header("Authorization", "Bearer " + ADMIN_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build();
        assertProblem(Api.send(chunked, "POST", "/v1/jobs (chunked)"), 413);
    }

    // ---- unknown ids

    @Order(1)
    @Test
    void unknownIdsAre404() {
        for (String id : List.of(UNKNOWN_JOB, "job_nope")) {
            assertProblem(api.get("/v1/jobs/" + id), 404);
            assertProblem(api.patch("/v1/jobs/" + id, Api.object().put("name", "x")), 404);
            assertProblem(api.delete("/v1/jobs/" + id), 404);
            for (String action : List.of("pause", "resume", "trigger", "rotate-secret")) {
                assertProblem(api.post("/v1/jobs/" + id + "/" + action), 404);
            }
            assertProblem(api.get("/v1/jobs/" + id + "/next-runs"), 404);
            assertProblem(api.get("/v1/jobs/" + id + "/executions"), 404);
        }
        assertProblem(api.get("/v1/executions/" + UNKNOWN_EXECUTION), 404);
        assertProblem(api.delete("/v1/api-keys/key_00000000000000000000000000"), 404);
    }

    @Order(1)
    @Test
    void nextRunsCountAbove100Is422() {
        String id = storedIds.get(0);
        JsonNode problem = assertProblem(api.get("/v1/jobs/" + id + "/next-runs?count=101"), 422);
        assertFieldNamed(problem, "count"::equals, "count=101");
        assertProblem(api.get("/v1/jobs/" + id + "/next-runs?count=0"), 422);
        assertProblem(api.get("/v1/jobs/" + id + "/next-runs?count=ten"), 422);
        assertEquals(100, api.get("/v1/jobs/" + id + "/next-runs?count=100").expect(200).path("data").size(),
                "count=100 is allowed");
    }

    // ---- keys

    @Order(1)
    @Test
    void noKeyOrABadKeyIs401() {
        Api anonymous = api.withKey(null);
        assertProblem(anonymous.get("/v1/jobs"), 401);
        assertProblem(anonymous.post("/v1/jobs", validJob().put("name", "without a key")), 401);
        assertProblem(api.withKey("chk_not_a_key_of_this_server").get("/v1/jobs"), 401);
        assertProblem(api.withKey("chk_not_a_key_of_this_server").post("/v1/jobs", validJob().put("name", "bad key")), 401);
        assertProblem(api.withKey(ADMIN_KEY + "x").get("/v1/jobs"), 401);
        HttpRequest basic = HttpRequest.newBuilder(api.uri("/v1/jobs"))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder()
                        .encodeToString(("admin:" + ADMIN_KEY).getBytes(StandardCharsets.UTF_8)))
                .GET().build();
        assertProblem(Api.send(basic, "GET", "/v1/jobs (Basic)"), 401);
    }

    @Order(1)
    @Test
    void readKeyMayReadButNotWrite() {
        JsonNode created = api.post("/v1/api-keys", Api.object().put("name", "reader").put("scope", "read")).expect(201);
        assertEquals("read", created.path("scope").textValue(), "" + created);
        Api reader = api.withKey(created.path("key").textValue());

        assertEquals(200, reader.get("/v1/jobs").status(), "a read key lists jobs");
        assertEquals(200, reader.get("/v1/jobs/" + storedIds.get(0)).status(), "a read key reads a job");
        assertProblem(reader.post("/v1/jobs", validJob().put("name", "by a read key")), 403);
        assertProblem(reader.patch("/v1/jobs/" + storedIds.get(0), Api.object().put("name", "by a read key")), 403);
        assertProblem(reader.post("/v1/jobs/" + storedIds.get(0) + "/pause"), 403);
        assertProblem(reader.post("/v1/jobs/" + storedIds.get(0) + "/trigger"), 403);
        assertProblem(reader.delete("/v1/jobs/" + storedIds.get(1)), 403);
        assertProblem(reader.post("/v1/api-keys", Api.object().put("name", "escalate").put("scope", "admin")), 403);
    }

    @Order(1)
    @Test
    void revokedKeyIs401RightAway() {
        JsonNode created = api.post("/v1/api-keys", Api.object().put("name", "short-lived").put("scope", "admin"))
                .expect(201);
        Api holder = api.withKey(created.path("key").textValue());
        assertEquals(200, holder.get("/v1/jobs").status(), "the new key works");

        Api.Reply revoked = api.delete("/v1/api-keys/" + created.path("id").textValue());
        assertEquals(204, revoked.status(), "" + revoked);
        assertProblem(holder.get("/v1/jobs"), 401);
        assertProblem(holder.post("/v1/jobs", validJob().put("name", "by a revoked key")), 401);
        assertProblem(api.delete("/v1/api-keys/" + created.path("id").textValue()), 404);
        assertFalse(api.get("/v1/api-keys").body().contains(created.path("id").textValue()), "a revoked key is not listed");
    }

    @Order(1)
    @Test
    void configuredAdminKeyMeansNoKeyIsGenerated() {
        assertFalse(server.stdout().contains("chk_"), "with CRONHOOK_ADMIN_KEY set no key is printed:\n" + server.stdout());
        assertEquals(200, api.get("/v1/jobs").status(), "the configured key is accepted");
    }

    // ---- and nothing of it was stored

    @Order(2)
    @Test
    void rejectedRequestsStoredNothingAndChangedNothing() {
        JsonNode now = api.get("/v1/jobs?limit=500").expect(200);
        List<String> ids = new ArrayList<>();
        now.path("data").forEach(job -> ids.add(job.path("id").textValue()));
        assertEquals(storedIds, ids, "exactly the jobs created before the rejected requests");
        assertEquals(storedJobs, now, "the stored jobs are unchanged");
    }

    // ---- helpers

    private static ObjectNode validJob() {
        return Api.object().put("name", "valid").put("url", "http://127.0.0.1:9/never").put("cron", "0 0 1 1 *");
    }

    /** An RFC 9457 problem: the status, application/problem+json, and type, title, status, detail. */
    private static JsonNode assertProblem(Api.Reply reply, int status) {
        assertEquals(status, reply.status(), "" + reply);
        assertTrue(reply.contentType().startsWith("application/problem+json"),
                "Content-Type of " + reply + ": " + reply.contentType());
        JsonNode problem = reply.json();
        assertTrue(problem.path("type").isTextual() && !problem.path("type").asText().isBlank(), "type in " + reply);
        assertTrue(problem.path("title").isTextual() && !problem.path("title").asText().isBlank(), "title in " + reply);
        assertTrue(problem.path("status").isInt(), "status in " + reply);
        assertEquals(status, problem.path("status").intValue(), "status in " + reply);
        assertTrue(problem.path("detail").isTextual() && !problem.path("detail").asText().isBlank(), "detail in " + reply);
        return problem;
    }

    private static void assertFieldNamed(JsonNode problem, Predicate<String> field, String what) {
        JsonNode errors = problem.path("errors");
        assertTrue(errors.isArray() && !errors.isEmpty(), what + ": no errors[] in " + problem);
        for (JsonNode error : errors) {
            assertTrue(error.path("field").isTextual(), what + ": error without a field: " + problem);
            assertTrue(error.path("message").isTextual() && !error.path("message").asText().isBlank(),
                    what + ": error without a message: " + problem);
        }
        boolean named = false;
        for (JsonNode error : errors) {
            named |= field.test(error.path("field").asText());
        }
        assertTrue(named, what + ": errors[] does not name it: " + problem);
    }
}
