package dev.cronhook.api.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * API keys on a server started WITHOUT {@code CRONHOOK_ADMIN_KEY} on an empty data folder: the generated admin key
 * printed once, keys created over the API shown once and listed without the secret, and a restart that prints no
 * new key while every key keeps working. The tests build on each other, in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ApiKeysIT {
    private static final Pattern PRINTED =
            Pattern.compile("Cronhook admin API key \\(shown once, store it now\\): (chk_\\S+)");

    private ServerProcess server;
    private String bootstrapKey;
    private Api api;
    /** Keys made over the API: key id to key. */
    private final Map<String, String> createdKeys = new LinkedHashMap<>();

    @BeforeAll
    void start() {
        server = ServerProcess.start("api-keys", Map.of());
        String stdout = Poll.until("the generated admin key on standard output", Duration.ofSeconds(10),
                server::stdout, text -> PRINTED.matcher(text).find());
        Matcher matcher = PRINTED.matcher(stdout);
        assertTrue(matcher.find());
        bootstrapKey = matcher.group(1);
        api = new Api(server, bootstrapKey);
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Order(1)
    @Test
    void firstStartWithoutAConfiguredKeyPrintsOneAdminKeyThatWorks() {
        String stdout = server.stdout();
        assertEquals(1, PRINTED.matcher(stdout).results().count(), "printed once:\n" + stdout);
        assertTrue(bootstrapKey.matches("chk_[0-9a-z]{16,}"), "a long random chk_ key: " + bootstrapKey);
        assertFalse(server.stderr().contains(bootstrapKey), "the key is not in the logs (standard error)");

        assertEquals(200, api.get("/v1/jobs").status(), "the printed key is accepted");
        api.createJob(Api.object().put("name", "made with the printed key").put("url", "http://127.0.0.1:9/x")
                .put("cron", "0 0 1 1 *"));
        JsonNode keys = api.get("/v1/api-keys").expect(200).path("data");
        assertEquals(1, keys.size(), "only the generated key exists: " + keys);
        assertEquals("admin", keys.get(0).path("scope").textValue(), "" + keys);
        assertTrue(bootstrapKey.startsWith(keys.get(0).path("prefix").asText("-")), "the prefix of the key: " + keys);
    }

    @Order(2)
    @Test
    void createdKeyIsShownOnceAndTheListNeverShowsIt() {
        for (String scope : List.of("admin", "read")) {
            JsonNode created = api.post("/v1/api-keys", Api.object().put("name", scope + " robot").put("scope", scope))
                    .expect(201);
            String key = created.path("key").asText();
            assertTrue(key.startsWith("chk_") && key.length() > 20, "create returns the key: " + created);
            assertTrue(created.path("id").asText().matches("key_[0-9a-z]{26}"), "" + created);
            assertEquals(scope + " robot", created.path("name").textValue(), "" + created);
            assertEquals(scope, created.path("scope").textValue(), "" + created);
            assertTrue(key.startsWith(created.path("prefix").asText("-")), "" + created);
            assertTrue(JobRequestAssertions.RFC3339_UTC.matcher(created.path("created_at").asText()).matches(),
                    "" + created);
            createdKeys.put(created.path("id").textValue(), key);
            assertEquals(200, api.withKey(key).get("/v1/jobs").status(), scope + " key reads jobs");
            // What a page asks to know which controls to offer.
            JsonNode me = api.withKey(key).get("/v1/me").expect(200);
            assertEquals(created.path("id").textValue(), me.path("key_id").textValue(), "" + me);
            assertEquals(scope + " robot", me.path("name").textValue(), "" + me);
            assertEquals(scope, me.path("scope").textValue(), "" + me);
        }
        assertNotEquals(List.copyOf(createdKeys.values()).get(0), List.copyOf(createdKeys.values()).get(1));

        Api.Reply listed = api.get("/v1/api-keys");
        JsonNode data = listed.expect(200).path("data");
        assertEquals(3, data.size(), "the generated key and two created ones: " + data);
        for (String key : allKeys()) {
            assertFalse(listed.body().contains(key), "the list shows no key: " + listed.body());
        }
        for (JsonNode entry : data) {
            assertFalse(entry.has("key"), "no key field in the list: " + entry);
            for (String field : List.of("id", "prefix", "name", "scope", "created_at")) {
                assertTrue(entry.path(field).isTextual() && !entry.path(field).asText().isBlank(),
                        field + " in " + entry);
            }
            assertTrue(entry.has("last_used_at"), "last_used_at in " + entry);
            String id = entry.path("id").asText();
            if (createdKeys.containsKey(id)) {
                assertTrue(createdKeys.get(id).startsWith(entry.path("prefix").asText()), "prefix of " + entry);
                assertTrue(JobRequestAssertions.RFC3339_UTC.matcher(entry.path("last_used_at").asText()).matches(),
                        "a key just used shows when: " + entry);
            }
        }

        assertEquals("bootstrap admin key", api.get("/v1/me").expect(200).path("name").textValue());
        assertEquals(401, api.withKey(null).get("/v1/me").status());

        ObjectNode badScope = Api.object().put("name", "owner").put("scope", "owner");
        assertEquals(422, api.post("/v1/api-keys", badScope).status(), "scope must be admin or read");
        assertEquals(422, api.post("/v1/api-keys", Api.object().put("scope", "read")).status(), "name is required");
        assertEquals(3, api.get("/v1/api-keys").expect(200).path("data").size(), "refused keys are not stored");
    }

    @Order(3)
    @Test
    void restartPrintsNoNewKeyAndEveryKeyStillWorks() {
        List<String> idsBefore = ids(api.get("/v1/api-keys").expect(200));
        server.restart();
        String stdout = server.stdout();
        assertFalse(stdout.contains("chk_"), "a restart prints no new key:\n" + stdout);
        assertFalse(PRINTED.matcher(stdout).find(), "a restart prints no new key:\n" + stdout);

        for (String key : allKeys()) {
            assertEquals(200, api.withKey(key).get("/v1/jobs").status(), "still accepted after a restart: " + key);
        }
        assertEquals(idsBefore, ids(api.get("/v1/api-keys").expect(200)), "the same keys after a restart");
        assertEquals(1, api.get("/v1/jobs").expect(200).path("data").size(), "the job made before the restart");
    }

    private List<String> allKeys() {
        List<String> keys = new ArrayList<>(createdKeys.values());
        keys.add(bootstrapKey);
        return keys;
    }

    private static List<String> ids(JsonNode list) {
        List<String> ids = new ArrayList<>();
        list.path("data").forEach(entry -> ids.add(entry.path("id").asText()));
        return ids;
    }
}
