package dev.cronhook.api.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A tiny JSON client of the Cronhook API: {@code Authorization: Bearer <key>} on every request. */
final class Api {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final URI base;
    private final String key;

    Api(URI base, String key) {
        this.base = base;
        this.key = key;
    }

    Api(ServerProcess server, String key) {
        this(server.baseUri(), key);
    }

    /** The same server with another key (null: no Authorization header at all). */
    Api withKey(String otherKey) {
        return new Api(base, otherKey);
    }

    /** A reply: status, headers and the body as text; {@link #json()} parses it. */
    record Reply(String method, String path, int status, HttpHeaders headers, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (JsonProcessingException e) {
                throw new AssertionError(method + " " + path + " answered " + status + " with a body that is not JSON: "
                        + body, e);
            }
        }

        String contentType() {
            return headers.firstValue("Content-Type").orElse("");
        }

        /** Fails unless the status is {@code expected}; returns the parsed body. */
        JsonNode expect(int expected) {
            assertEquals(expected, status, () -> method + " " + path + " answered " + status + ": " + body);
            return body.isEmpty() ? JSON.nullNode() : json();
        }

        @Override
        public String toString() {
            return method + " " + path + " -> " + status + " " + body;
        }
    }

    Reply get(String path) {
        return send("GET", path, null, null);
    }

    Reply delete(String path) {
        return send("DELETE", path, null, null);
    }

    /** POST with no body (actions such as pause, resume, trigger). */
    Reply post(String path) {
        return send("POST", path, null, null);
    }

    Reply post(String path, Object json) {
        return send("POST", path, "application/json", bytes(json));
    }

    Reply patch(String path, Object json) {
        return send("PATCH", path, "application/json", bytes(json));
    }

    /** Any request: {@code contentType} null sends no Content-Type, {@code body} null sends no body. */
    Reply send(String method, String path, String contentType, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(15))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        request.header("Accept", "application/json");
        return send(request.build(), method, path);
    }

    /** Sends a request built by the caller (auth is the caller's business). */
    static Reply send(HttpRequest request, String method, String path) {
        try {
            HttpResponse<byte[]> response = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(method, path, response.statusCode(), response.headers(),
                    new String(response.body(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    URI uri(String path) {
        return base.resolve(path);
    }

    String key() {
        return key;
    }

    // ---- conveniences for jobs

    /** Creates a job and fails unless the reply is 201; returns the reply (with its signing_secret). */
    JsonNode createJob(ObjectNode job) {
        return post("/v1/jobs", job).expect(201);
    }

    JsonNode job(String id) {
        return get("/v1/jobs/" + id).expect(200);
    }

    JsonNode execution(String id) {
        return get("/v1/executions/" + id).expect(200);
    }

    /** Every execution of a job (follows the cursor). */
    List<JsonNode> executionsOf(String jobId) {
        List<JsonNode> all = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = get("/v1/jobs/" + jobId + "/executions?limit=500"
                    + (cursor == null ? "" : "&cursor=" + cursor)).expect(200);
            page.get("data").forEach(all::add);
            cursor = page.path("next_cursor").isTextual() ? page.get("next_cursor").textValue() : null;
        } while (cursor != null);
        return all;
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    static byte[] bytes(Object json) {
        if (json instanceof String text) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        if (json instanceof byte[] raw) {
            return raw;
        }
        try {
            return JSON.writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            fail("cannot write " + json + " as JSON: " + e);
            return null;
        }
    }
}
