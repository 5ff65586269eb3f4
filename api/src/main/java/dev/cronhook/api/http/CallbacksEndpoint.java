package dev.cronhook.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cronhook.api.codec.Json;
import dev.cronhook.scheduler.runs.CallbackReport;
import dev.cronhook.scheduler.runs.CallbackService;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code POST /callbacks/{token}}: a target reports how the work its job's request started went (PRODUCT.md section
 * 10), authenticated by the token of the attempt's callback URL; no API key. Replies 202 with the attempt it ends. The
 * token is a credential: this endpoint answers its own errors so that no log line ever carries the request path.
 */
public final class CallbacksEndpoint implements HttpService {
    private final CallbackService callbacks;
    private final RequestBodies bodies = new RequestBodies(CallbackService.MAX_BODY_BYTES);

    public CallbacksEndpoint(CallbackService callbacks) {
        this.callbacks = callbacks;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/{token}", this::receive);
    }

    private void receive(ServerRequest req, ServerResponse res) {
        try {
            CallbackService.Accepted accepted = callbacks.receive(req.path().pathParameters().get("token"),
                    report(bodies.anyJson(req)));
            ObjectNode reply = Json.object();
            reply.put("execution_id", accepted.executionId());
            reply.put("attempt", accepted.attemptNumber());
            Replies.json(res, 202, reply);
        } catch (RuntimeException e) {
            ErrorMapper.reply(res, e, "callback");
        }
    }

    /** {@code {"status": "succeeded" | "failed", "output": …}}: a string output is kept as is, other JSON as its text. */
    private static CallbackReport report(JsonNode body) {
        if (!body.isObject()) {
            throw ProblemException.badRequest("the body must be a JSON object with a status");
        }
        JsonNode status = body.get("status");
        CallbackReport.Status parsed = status != null && status.isTextual()
                ? CallbackReport.Status.fromWire(status.textValue()) : null;
        if (parsed == null) {
            throw ProblemException.invalid("status", CallbackReport.Status.RULE);
        }
        JsonNode output = body.get("output");
        String text;
        if (output == null || output.isNull()) {
            text = null;
        } else if (output.isTextual()) {
            text = output.textValue();
        } else {
            try {
                text = Json.MAPPER.writeValueAsString(output);
            } catch (JsonProcessingException e) {
                throw ProblemException.invalid("output", "cannot be written as JSON");
            }
        }
        return new CallbackReport(parsed, text);
    }
}
