package dev.cronhook.api.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cronhook.api.codec.Json;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** {@code /observe/health} and {@code /observe/metrics}; no key needed, nothing secret shown. */
public final class ObserveEndpoint implements HttpService {
    /**
     * Health answers within this even when a check hangs (the database away: a connection is waited for up to the
     * database wait); a check without an answer by then is down. Load balancers probe with timeouts of a few seconds.
     */
    static final Duration CHECK_BOUND = Duration.ofMillis(1500);

    private final Map<String, BooleanSupplier> checks;
    private final Supplier<String> metrics;

    /** @param checks named health checks, in order; @param metrics scrapes the meters as Prometheus text */
    public ObserveEndpoint(Map<String, BooleanSupplier> checks, Supplier<String> metrics) {
        this.checks = new LinkedHashMap<>(checks);
        this.metrics = metrics;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/health", this::health).get("/metrics", this::metrics);
    }

    private void health(ServerRequest req, ServerResponse res) {
        ObjectNode body = Json.object();
        ArrayNode list = body.putArray("checks");
        boolean up = true;
        Map<String, CompletableFuture<Boolean>> running = new LinkedHashMap<>();
        checks.forEach((name, check) -> {
            CompletableFuture<Boolean> result = new CompletableFuture<>();
            Thread.ofVirtual().name("health-" + name).start(() -> {
                try {
                    result.complete(check.getAsBoolean());
                } catch (RuntimeException e) {
                    result.complete(false);
                }
            });
            running.put(name, result);
        });
        long deadline = System.nanoTime() + CHECK_BOUND.toNanos();
        for (Map.Entry<String, CompletableFuture<Boolean>> check : running.entrySet()) {
            ObjectNode entry = list.addObject().put("name", check.getKey());
            boolean ok;
            try {
                ok = check.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                ok = false;
                entry.put("detail", "no answer within " + CHECK_BOUND.toMillis() + " ms");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ok = false;
            } catch (ExecutionException e) {
                ok = false;
            }
            up &= ok;
            entry.put("status", ok ? "UP" : "DOWN");
        }
        body.put("status", up ? "UP" : "DOWN");
        Replies.json(res, up ? 200 : 503, body);
    }

    private void metrics(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        res.send(metrics.get().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
