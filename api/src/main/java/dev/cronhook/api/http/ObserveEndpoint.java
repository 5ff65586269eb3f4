package dev.cronhook.api.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** {@code /observe/health} and {@code /observe/metrics}; no key needed, nothing secret shown. */
public final class ObserveEndpoint implements HttpService {
    private final Map<String, BooleanSupplier> checks;
    private final Consumer<StringBuilder> metrics;

    /** @param checks named health checks, in order; @param metrics appends Prometheus text */
    public ObserveEndpoint(Map<String, BooleanSupplier> checks, Consumer<StringBuilder> metrics) {
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
        for (Map.Entry<String, BooleanSupplier> check : checks.entrySet()) {
            boolean ok = check.getValue().getAsBoolean();
            up &= ok;
            list.addObject().put("name", check.getKey()).put("status", ok ? "UP" : "DOWN");
        }
        body.put("status", up ? "UP" : "DOWN");
        Replies.json(res, up ? 200 : 503, body);
    }

    private void metrics(ServerRequest req, ServerResponse res) {
        StringBuilder out = new StringBuilder();
        metrics.accept(out);
        res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        res.send(out.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
