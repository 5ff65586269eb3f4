package dev.cronhook.api.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * PRODUCT.md section 7 on the packaged server in {@code public-only} mode: literal private addresses are refused at
 * create with 422, and a host name that resolves to a refused address is blocked at connect time — for jobs and for
 * webhooks — with nothing sent.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NetworkPolicyIT extends AgainstPackagedServer {
    @Override
    String serverName() {
        return "policy";
    }

    @Override
    Map<String, String> settings() {
        return Map.of("CRONHOOK_NETWORK_POLICY", "public-only");
    }

    @Test
    void privateAndLoopbackLiteralsAreRefusedAtCreate() {
        for (String url : List.of("http://localhost:8080/x", "http://10.0.0.1/x", "http://127.0.0.1:9/x",
                "http://[::1]/x", "http://[fd00::1]/x", "http://100.64.0.1/x", "http://192.168.1.10/x",
                "http://[::ffff:10.0.0.1]/x", "http://2130706433/x", "http://127.1/x", "http://169.254.169.254/x")) {
            Api.Reply reply = api.post("/v1/jobs", Api.object().put("name", "private").put("url", url)
                    .put("cron", "0 0 1 1 *"));
            assertEquals(422, reply.status(), url + " -> " + reply);
            JsonNode problem = reply.json();
            assertEquals("url", problem.get("errors").get(0).get("field").asText(), url);
            assertTrue(problem.get("errors").get(0).get("message").asText().contains("network policy"), reply.toString());
            Api.Reply webhook = api.post("/v1/webhooks", Api.object().put("nickname", "private").put("url", url)
                    .set("topics", Api.JSON.createArrayNode().add("*")));
            assertEquals(422, webhook.status(), url + " -> " + webhook);
        }
        api.get("/v1/jobs").expect(200).get("data").forEach(job ->
                assertFalse(job.get("name").asText().equals("private"), "a refused job was stored: " + job));
    }

    /** A name is not resolved at create; at connect time it resolves to a loopback address, which is refused. */
    @Test
    void aNameThatResolvesToARefusedAddressIsBlockedAtConnectTime() throws UnknownHostException {
        String host = InetAddress.getLocalHost().getHostName();
        InetAddress resolved = InetAddress.getByName(host);
        assertTrue(resolved.isLoopbackAddress() || resolved.isSiteLocalAddress() || resolved.isLinkLocalAddress(),
                "this test needs the machine's host name to resolve to a non-public address; " + host + " is "
                        + resolved);
        String path = "/policy/" + UUID.randomUUID();
        URI url = URI.create(target.url(path));
        String named = "http://" + host + ":" + url.getPort() + path;

        String jobId = api.post("/v1/jobs", Api.object().put("name", "by name").put("url", named)
                .put("cron", "0 0 1 1 *")).expect(201).get("id").asText();
        String executionId = api.post("/v1/jobs/" + jobId + "/trigger").expect(202).get("execution_id").asText();
        JsonNode execution = Poll.until("the attempt is recorded", Duration.ofSeconds(10),
                () -> api.get("/v1/executions/" + executionId).expect(200), e -> e.get("attempts").size() == 1);
        JsonNode attempt = execution.get("attempts").get(0);
        assertEquals("blocked", attempt.get("outcome").asText());
        assertTrue(attempt.get("error").asText().contains("refused by the network policy"), attempt.toString());
        assertTrue(attempt.get("status_code").isNull());
        assertEquals("failed", execution.get("status").asText(), "blocked is final");

        String webhookId = api.post("/v1/webhooks", Api.object().put("nickname", "by name").put("url", named)
                .set("topics", Api.JSON.createArrayNode().add("*"))).expect(201).get("id").asText();
        JsonNode ping = api.post("/v1/webhooks/" + webhookId + "/ping").expect(200);
        assertEquals("failed", ping.get("status").asText());
        assertEquals("blocked", ping.get("attempts").get(0).get("outcome").asText());
        assertFalse(ping.get("attempts").get(0).get("error").isNull());

        assertEquals(List.of(), target.requests(path), "nothing was sent");
    }
}
