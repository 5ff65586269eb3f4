package dev.cronhook.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cronhook.api.codec.Json;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;
import java.util.function.Function;

/** Writes JSON and problem replies. */
public final class Replies {
    private Replies() {
    }

    public static void json(ServerResponse res, int status, JsonNode body) {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(Json.bytes(body));
    }

    public static <T> void list(ServerResponse res, List<T> data, String nextCursor, Function<T, JsonNode> view) {
        ObjectNode body = Json.object();
        ArrayNode array = body.putArray("data");
        data.forEach(item -> array.add(view.apply(item)));
        body.put("next_cursor", nextCursor);
        json(res, 200, body);
    }

    public static void problem(ServerResponse res, Problem problem) {
        res.status(problem.status());
        res.header(HeaderNames.CONTENT_TYPE, "application/problem+json");
        res.send(Json.bytes(problemBody(problem)));
    }

    /** The problem as RFC 9457 JSON. */
    static ObjectNode problemBody(Problem problem) {
        ObjectNode body = Json.object();
        body.put("type", problem.type());
        body.put("title", problem.title());
        body.put("status", problem.status());
        body.put("detail", problem.detail());
        if (!problem.errors().isEmpty()) {
            ArrayNode errors = body.putArray("errors");
            for (Problem.FieldProblem error : problem.errors()) {
                errors.addObject().put("field", error.field()).put("message", error.message());
            }
        }
        return body;
    }
}
