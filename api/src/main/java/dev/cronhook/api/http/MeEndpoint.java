package dev.cronhook.api.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cronhook.api.codec.Json;
import dev.cronhook.api.keys.Caller;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** {@code GET /v1/me}: the key the request came with — its id, name and scope — so a page knows what to offer. */
public final class MeEndpoint implements HttpService {
    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::me);
    }

    private void me(ServerRequest req, ServerResponse res) {
        Caller caller = req.context().get(Caller.class)
                .orElseThrow(() -> new IllegalStateException("the API-key filter let a request through unnamed"));
        ObjectNode node = Json.object();
        node.put("key_id", caller.keyId());
        node.put("name", caller.name());
        node.put("scope", caller.scope().wireName());
        Replies.json(res, 200, node);
    }
}
