package dev.cronhook.api.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * {@code completion: callback} across a takeover: two packaged servers on one PostgreSQL; the node that sent a callback
 * job's request is killed (SIGKILL) while the target works on it. The other node takes the run over and sends it
 * again with a URL of its own; the target then calls back on the URL of the request it got first, and the attempt
 * ends.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JobCallbacksClusterIT {
    private static final String ADMIN_KEY = "chk_e2e_" + UUID.randomUUID().toString().replace("-", "");
    private static final String PUBLIC_URL = "https://cronhook.example.test";

    private OnPostgres postgres;
    private HttpServer worker;
    /** The callback URL of each request the target got, in arrival order. */
    private final List<String> callbackUrls = new CopyOnWriteArrayList<>();
    private ServerProcess nodeA;
    private ServerProcess nodeB;

    @BeforeAll
    void start() throws IOException {
        postgres = new OnPostgres();
        // A target that takes its time to answer 202: the node that sent the request dies meanwhile.
        worker = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        worker.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        worker.createContext("/work", exchange -> {
            callbackUrls.add(exchange.getRequestHeaders().getFirst("X-Cronhook-Callback-Url"));
            ServerProcess.sleep(4000);
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        worker.start();
        nodeA = postgres.start("callbacks-a", ADMIN_KEY, Map.of("CRONHOOK_PUBLIC_URL", PUBLIC_URL));
        nodeB = postgres.start("callbacks-b", ADMIN_KEY, Map.of("CRONHOOK_PUBLIC_URL", PUBLIC_URL));
    }

    @AfterAll
    void stop() {
        try (var closeDatabase = postgres) {
            if (worker != null) {
                worker.stop(0);
            }
        }
    }

    @Test
    void aCallbackToTheUrlOfADeadNodesRequestEndsTheAttemptTakenOver() {
        Api api = new Api(nodeA, ADMIN_KEY);
        String jobId = api.createJob(Api.object().put("name", "outlives its node")
                .put("url", "http://127.0.0.1:" + worker.getAddress().getPort() + "/work")
                .put("run_at", Instant.now().plusSeconds(2).toString()).put("completion", "callback"))
                .get("id").textValue();
        Poll.until("the request at the target", Duration.ofSeconds(10), () -> callbackUrls.size(), n -> n == 1);
        JsonNode nodes = Poll.until("the node that sent it", Duration.ofSeconds(3),
                () -> api.get("/v1/nodes").expect(200).get("data"), data -> holderOf(data) != null);
        ServerProcess sender = holderOf(nodes).get("host").textValue().endsWith(":" + nodeA.port()) ? nodeA : nodeB;
        ServerProcess survivor = sender == nodeA ? nodeB : nodeA;
        sender.kill();

        Poll.until("sent again by the node that took it over", Duration.ofSeconds(30), () -> callbackUrls.size(),
                n -> n == 2);
        String first = callbackUrls.get(0);
        assertNotEquals(first, callbackUrls.get(1), "the new sender's own URL");
        Api alive = new Api(survivor, ADMIN_KEY);
        Api.Reply reply = alive.withKey(null).send("POST", URI.create(first).getRawPath(), "application/json",
                "{\"status\": \"succeeded\", \"output\": \"done\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals(1, reply.expect(202).path("attempt").asInt(), "" + reply);

        JsonNode done = Poll.until("succeeded", Duration.ofSeconds(15), () -> alive.executionsOf(jobId),
                list -> list.size() == 1 && list.getFirst().path("status").textValue().equals("succeeded"))
                .getFirst();
        JsonNode attempts = done.path("attempts");
        assertEquals(1, attempts.size(), "" + done);
        assertEquals("success", attempts.get(0).path("outcome").textValue(), "" + done);
        assertEquals("done", attempts.get(0).path("callback_output").textValue(), "" + done);
    }

    /** The alive node holding a run, if exactly one does. */
    private static JsonNode holderOf(JsonNode nodes) {
        JsonNode holder = null;
        for (JsonNode node : nodes) {
            if (node.path("state").textValue().equals("alive") && node.path("runs_in_hand").intValue() > 0) {
                if (holder != null) {
                    return null;
                }
                holder = node;
            }
        }
        return holder;
    }
}
