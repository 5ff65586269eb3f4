package dev.cronhook.api.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Generated bad input for every POST and PATCH route and every intake type, against the packaged server on
 * PostgreSQL: whatever arrives, the answer is never a 5xx. Bodies are valid ones with fields replaced by hostile
 * values (NUL and other control characters, lone surrogates, huge numbers and times, deep nesting, wrong types),
 * broken bytes (overlong and truncated UTF-8, truncated JSON), and query parameters the same way. The seed is printed
 * and can be fixed with {@code -Dfuzz.seed=…} to replay a failure.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class FuzzIT {
    private static final String ADMIN_KEY = "chk_e2e_" + UUID.randomUUID().toString().replace("-", "");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int CASES_PER_ROUTE = 60;

    private OnPostgres postgres;
    private Target target;
    private ServerProcess server;
    private Api api;
    private long seed;
    private Random random;

    @BeforeAll
    void start() {
        seed = Long.getLong("fuzz.seed", System.nanoTime());
        System.out.println("FuzzIT seed: " + seed + " (replay with -Dfuzz.seed=" + seed + ")");
        random = new Random(seed);
        postgres = new OnPostgres();
        target = new Target();
        server = postgres.start("fuzz", ADMIN_KEY);
        api = new Api(server, ADMIN_KEY);
    }

    @AfterAll
    void stop() {
        try (var closeTarget = target; var closeDatabase = postgres) {
            // the server and the schema first, then the target
        }
    }

    @Test
    void noGeneratedInputAnswersAServerError() {
        String jobId = api.createJob(validJob()).get("id").textValue();
        String onceId = api.createJob(Api.object().put("name", "once").put("url", target.url("/once"))
                .put("run_at", Instant.now().plus(Duration.ofDays(30)).toString())).get("id").textValue();
        String webhookId = api.post("/v1/webhooks", validWebhook()).expect(201).get("id").textValue();
        String channelId = api.post("/v1/channels", validChannel()).expect(201).get("id").textValue();
        String integrationId = api.post("/v1/integrations", Api.object().put("name", "generic")
                .put("type", "generic")).expect(201).get("id").textValue();

        Map<String, ObjectNode> writes = new LinkedHashMap<>();
        writes.put("POST /v1/jobs", validJob());
        writes.put("PATCH /v1/jobs/" + jobId, validJob());
        writes.put("PATCH /v1/jobs/" + onceId, Api.object().put("run_at",
                Instant.now().plus(Duration.ofDays(31)).toString()).put("body", "text"));
        writes.put("POST /v1/webhooks", validWebhook());
        writes.put("PATCH /v1/webhooks/" + webhookId, validWebhook());
        writes.put("POST /v1/channels", validChannel());
        writes.put("PATCH /v1/channels/" + channelId, validChannel());
        writes.put("POST /v1/integrations", Api.object().put("name", "n").put("type", "pagerduty"));
        writes.put("PATCH /v1/integrations/" + integrationId, Api.object().put("name", "renamed")
                .put("alert_after", 2).put("realert_minutes", 30));
        writes.put("POST /v1/silences", Api.object().put("integration_id", integrationId).put("dedup_key", "k")
                .put("ends_at", Instant.now().plus(Duration.ofDays(1)).toString()).put("comment", "fuzz"));
        JsonNode check = api.post("/v1/checks", Api.object().put("name", "fuzz").put("period_seconds", 60))
                .expect(201);
        String checkId = check.get("id").textValue();
        writes.put("POST /v1/checks", Api.object().put("name", "c").put("cron", "0 3 * * *")
                .put("timezone", "Europe/Berlin").put("grace_seconds", 60).put("tags", "a b"));
        writes.put("PATCH /v1/checks/" + checkId, Api.object().put("period_seconds", 120).put("grace_seconds", 30));
        writes.put("POST /v1/cron/preview", Api.object().put("cron", "30 9 * * 1-5").put("timezone", "Europe/Berlin")
                .put("count", 5));
        writes.put("POST /v1/api-keys", Api.object().put("name", "k").put("scope", "read"));
        for (String action : List.of("pause", "resume", "trigger", "rotate-secret")) {
            writes.put("POST /v1/jobs/" + jobId + "/" + action, Api.object());
        }
        writes.put("POST /v1/webhooks/" + webhookId + "/rotate-secret", Api.object());

        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, ObjectNode> route : writes.entrySet()) {
            String[] methodAndPath = route.getKey().split(" ", 2);
            for (int i = 0; i < CASES_PER_ROUTE; i++) {
                byte[] body = badBody(route.getValue());
                check(failures, methodAndPath[0], methodAndPath[1], body, "application/json");
            }
        }

        for (String type : List.of("generic", "cronhook", "cronicle", "healthchecks", "crontogo", "pagerduty",
                "alertmanager")) {
            JsonNode integration = api.post("/v1/integrations", Api.object().put("name", "fuzz " + type)
                    .put("type", type)).expect(201);
            String path = "/hooks/" + integration.get("token").textValue();
            for (int i = 0; i < CASES_PER_ROUTE; i++) {
                check(failures, "POST", path, badBody(sampleEvent(type)), "application/json");
            }
        }

        // A callback URL that names nothing: whatever its body, a 4xx.
        for (int i = 0; i < CASES_PER_ROUTE; i++) {
            check(failures, "POST", "/callbacks/chc_" + "F".repeat(43), badBody(Api.object().put("status", "succeeded")
                    .put("output", "done")), "application/json");
        }

        // Pings carry whatever a job prints: any body, on any of the ping paths, is a 2xx or a 4xx.
        String pingPath = java.net.URI.create(check.get("ping_url").textValue()).getPath();
        for (String suffix : List.of("", "/start", "/fail", "/0", "/1", "/256", "/-1", "/x")) {
            for (int i = 0; i < 4; i++) {
                check(failures, "POST", pingPath + suffix, badBody(Api.object().put("output", "done")), "text/plain");
            }
        }

        for (String list : List.of("/v1/jobs", "/v1/executions", "/v1/checks", "/v1/checks/" + checkId + "/pings", "/v1/webhooks", "/v1/incidents", "/v1/channels", "/v1/silences",
                "/v1/integrations", "/v1/jobs/" + jobId + "/executions", "/v1/jobs/" + jobId + "/next-runs",
                "/v1/webhooks/" + webhookId + "/deliveries")) {
            for (String name : List.of("cursor", "job_id", "status", "limit", "count", "type", "enabled",
                    "integration_id", "q")) {
                for (int i = 0; i < 6; i++) {
                    check(failures, "GET", list + "?" + name + "=" + queryValue(), null, null);
                }
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " inputs answered 5xx (seed " + seed + "):\n"
                + String.join("\n", failures.subList(0, Math.min(20, failures.size()))));
    }

    private void check(List<String> failures, String method, String path, byte[] body, String contentType) {
        Api.Reply reply;
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUri() + path))
                    .timeout(Duration.ofSeconds(15))
                    .header("Authorization", "Bearer " + ADMIN_KEY)
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            if (contentType != null) {
                request.header("Content-Type", contentType);
            }
            reply = Api.send(request.build(), method, path);
        } catch (IllegalArgumentException e) {
            return; // a URI the client itself refuses to send
        }
        if (reply.status() >= 500) {
            failures.add(method + " " + abbreviate(path) + " " + abbreviate(body == null ? "" : new String(body,
                    StandardCharsets.UTF_8)) + " -> " + reply.status() + " " + abbreviate(reply.body()));
        }
    }

    // ---- generators

    private byte[] badBody(ObjectNode valid) {
        return switch (random.nextInt(6)) {
            case 0 -> brokenUtf8(mutate(valid));
            case 1 -> truncate(mutate(valid));
            default -> bytes(mutate(valid));
        };
    }

    private ObjectNode mutate(ObjectNode valid) {
        ObjectNode copy = valid.deepCopy();
        List<String> fields = new ArrayList<>();
        copy.fieldNames().forEachRemaining(fields::add);
        int changes = 1 + random.nextInt(3);
        for (int i = 0; i < changes; i++) {
            if (!fields.isEmpty() && random.nextInt(4) > 0) {
                copy.set(fields.get(random.nextInt(fields.size())), hostileValue(0));
            } else {
                copy.set(hostileString(), hostileValue(0));
            }
        }
        return copy;
    }

    private JsonNode hostileValue(int depth) {
        return switch (random.nextInt(depth > 3 ? 9 : 12)) {
            case 0 -> NODES.textNode(hostileString());
            case 1 -> NODES.textNode("+999999999-12-31T23:59:59Z");
            case 2 -> NODES.textNode("http://127.0.0.1:" + (random.nextBoolean() ? 0 : 65536 + random.nextInt(1 << 20))
                    + "/x");
            case 3 -> NODES.numberNode(random.nextBoolean() ? Long.MAX_VALUE : -random.nextInt());
            case 4 -> NODES.numberNode(new java.math.BigDecimal("1e400"));
            case 5 -> NODES.nullNode();
            case 6 -> NODES.booleanNode(random.nextBoolean());
            case 7 -> NODES.textNode("x".repeat(random.nextInt(70_000)));
            case 8 -> NODES.textNode(random.nextBoolean() ? "" : " ");
            case 9 -> {
                ArrayNode array = NODES.arrayNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    array.add(hostileValue(depth + 1));
                }
                yield array;
            }
            default -> {
                ObjectNode object = NODES.objectNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    object.set(hostileString(), hostileValue(depth + 1));
                }
                yield object;
            }
        };
    }

    private String hostileString() {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(12); i >= 0; i--) {
            switch (random.nextInt(8)) {
                case 0 -> text.append('\u0000');
                case 1 -> text.append((char) random.nextInt(0x20));
                case 2 -> text.append('\ud800'); // a lone surrogate
                case 3 -> text.append("\u202e\ufffd\ud83d\ude00");
                case 4 -> text.append("%00");
                case 5 -> text.append("'; DROP TABLE jobs; --");
                default -> text.append((char) ('a' + random.nextInt(26)));
            }
        }
        return text.toString();
    }

    private String queryValue() {
        return switch (random.nextInt(6)) {
            case 0 -> "%00";
            case 1 -> "a%00b";
            case 2 -> "%C0%AF";
            case 3 -> "-1";
            case 4 -> "99999999999999999999";
            default -> "%FF%FE" + "x".repeat(random.nextInt(300));
        };
    }

    private byte[] brokenUtf8(JsonNode node) {
        byte[] bytes = bytes(node);
        int at = random.nextInt(Math.max(1, bytes.length));
        byte[] broken = new byte[bytes.length + 2];
        System.arraycopy(bytes, 0, broken, 0, at);
        broken[at] = (byte) 0xC0;
        broken[at + 1] = (byte) 0xAF;
        System.arraycopy(bytes, at, broken, at + 2, bytes.length - at);
        return broken;
    }

    private byte[] truncate(JsonNode node) {
        byte[] bytes = bytes(node);
        return java.util.Arrays.copyOf(bytes, random.nextInt(Math.max(1, bytes.length)));
    }

    private static byte[] bytes(JsonNode node) {
        // Jackson writes a lone surrogate as an escape; the server must still cope.
        try {
            return JSON.writeValueAsBytes(node);
        } catch (Exception e) {
            return node.toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    private static String abbreviate(String text) {
        String flat = text.replace('\n', ' ');
        return flat.length() > 200 ? flat.substring(0, 200) + "…" : flat;
    }

    // ---- valid shapes

    private ObjectNode validJob() {
        return Api.object().put("name", "fuzz").put("url", target.url("/fuzz")).put("cron", "0 0 1 1 *")
                .put("method", "POST").put("body", "{}").put("timeout_seconds", 5);
    }

    private ObjectNode validWebhook() {
        ObjectNode webhook = Api.object().put("nickname", "fuzz").put("url", target.url("/hook"));
        webhook.putArray("topics").add("job.execution.failed");
        return webhook;
    }

    private ObjectNode validChannel() {
        return Api.object().put("type", "webhook").put("url", target.url("/alerts"));
    }

    private static ObjectNode sampleEvent(String type) {
        return switch (type) {
            case "cronicle" -> Api.object().put("action", "job_complete").put("event", "e1").put("event_title", "t")
                    .put("code", 1).put("hostname", "h");
            case "healthchecks" -> Api.object().put("uuid", UUID.randomUUID().toString()).put("name", "check")
                    .put("status", "down");
            case "crontogo" -> Api.object().put("type", "job.failed").put("job", "j");
            case "pagerduty" -> {
                ObjectNode event = Api.object().put("event_action", "trigger").put("dedup_key", "k");
                event.putObject("payload").put("summary", "s").put("source", "src").put("severity", "error");
                yield event;
            }
            case "cronhook" -> Api.object().put("type", "job.execution.failed").put("id", "evt_1");
            case "alertmanager" -> {
                ObjectNode notification = Api.object().put("version", "4").put("status", "firing");
                ObjectNode alert = notification.putArray("alerts").addObject().put("status", "firing")
                        .put("fingerprint", "1a30ba71cca2921f");
                alert.putObject("labels").put("alertname", "ProbeFailure").put("severity", "critical");
                alert.putObject("annotations").put("summary", "s");
                yield notification;
            }
            default -> Api.object().put("title", "t").put("severity", "sev2");
        };
    }
}
