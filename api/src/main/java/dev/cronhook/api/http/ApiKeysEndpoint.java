package dev.cronhook.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cronhook.api.codec.Json;
import dev.cronhook.api.keys.ApiKey;
import dev.cronhook.api.keys.ApiKeyStore;
import dev.cronhook.api.keys.CreatedApiKey;
import dev.cronhook.api.keys.Scope;
import dev.cronhook.common.PrefixedIds;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.ArrayList;
import java.util.List;

/** {@code /v1/api-keys}: create (the key is shown once), list, revoke. */
public final class ApiKeysEndpoint implements HttpService {
    private final ApiKeyStore keys;
    private final RequestBodies bodies;

    public ApiKeysEndpoint(ApiKeyStore keys, RequestBodies bodies) {
        this.keys = keys;
        this.bodies = bodies;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::create).get("/", this::list).delete("/{id}", this::revoke);
    }

    private void create(ServerRequest req, ServerResponse res) {
        JsonNode body = bodies.json(req);
        List<Problem.FieldProblem> errors = new ArrayList<>();
        JsonNode name = body.get("name");
        if (name == null || !name.isTextual() || name.textValue().isBlank() || name.textValue().length() > 200) {
            errors.add(new Problem.FieldProblem("name", "is required: a string of 1 to 200 characters"));
        }
        JsonNode scopeNode = body.get("scope");
        Scope scope = scopeNode != null && scopeNode.isTextual() ? Scope.fromWire(scopeNode.textValue()) : null;
        if (scope == null) {
            errors.add(new Problem.FieldProblem("scope", "must be admin or read"));
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(new Problem(422, "validation", "Invalid input", "the API key is not valid", errors));
        }
        CreatedApiKey created = keys.create(name.textValue(), scope);
        ObjectNode node = view(created.apiKey());
        node.put("key", created.key());
        Replies.json(res, 201, node);
    }

    private void list(ServerRequest req, ServerResponse res) {
        Replies.list(res, keys.list(), null, ApiKeysEndpoint::view);
    }

    private void revoke(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("id");
        if (!PrefixedIds.looksLike("key", id) || !keys.revoke(id)) {
            throw ProblemException.notFound("no API key " + id);
        }
        res.status(204).send();
    }

    private static ObjectNode view(ApiKey key) {
        ObjectNode node = Json.object();
        node.put("id", key.id());
        node.put("name", key.name());
        node.put("scope", key.scope().wireName());
        node.put("prefix", key.prefix());
        node.put("created_at", Json.time(key.createdAt()));
        node.put("last_used_at", Json.time(key.lastUsedAt()));
        return node;
    }
}
