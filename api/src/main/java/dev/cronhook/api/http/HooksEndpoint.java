package dev.cronhook.api.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cronhook.api.codec.Json;
import dev.cronhook.incident.IntakeService;
import dev.cronhook.incident.IntakeOutcome;
import dev.cronhook.incident.integrations.IntegrationType;
import dev.cronhook.incident.intake.IncomingHeaders;
import io.helidon.http.Header;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /hooks}: where other tools post events, authenticated by the integration's token in the path or in
 * {@code X-Cronhook-Token}; no API key. Replies 202 with what the event did. The token is a credential: this
 * endpoint answers its own errors so that no log line ever carries the request path.
 */
public final class HooksEndpoint implements HttpService {
    static final String TOKEN_HEADER = "X-Cronhook-Token";

    private final IntakeService intake;

    public HooksEndpoint(IntakeService intake) {
        this.intake = intake;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", (req, res) -> receive(req, res, req.headers().first(
                        io.helidon.http.HeaderNames.create(TOKEN_HEADER)).orElse(null)))
                .post("/{token}", (req, res) -> receive(req, res, req.path().pathParameters().get("token")))
                .post("/{token}/push-events", (req, res) -> receive(req, res,
                        req.path().pathParameters().get("token")));
    }

    private void receive(ServerRequest req, ServerResponse res, String token) {
        try {
            Replies.json(res, 202, reply(intake.receive(token, headers(req), body(req))));
        } catch (RuntimeException e) {
            // Mapped here, not by the routing's error handler, which would log the path: it holds the token.
            ErrorMapper.reply(res, e, "intake");
        }
    }

    /**
     * {@code {"ok": true, "action", "incident_id"}}; an Alertmanager notification gets a result per alert, and a
     * PagerDuty sender the fields of PagerDuty's own reply, with the dedup key to resolve by.
     */
    private static ObjectNode reply(IntakeOutcome outcome) {
        ObjectNode reply = Json.object();
        reply.put("ok", true);
        if (outcome.type() == IntegrationType.ALERTMANAGER) {
            ArrayNode results = reply.putArray("results");
            for (IntakeOutcome.Handled event : outcome.events()) {
                results.addObject().put("fingerprint", event.key())
                        .put("action", event.result().action().wireName())
                        .put("incident_id", event.result().incidentId());
            }
            return reply;
        }
        IntakeOutcome.Handled event = outcome.events().getFirst();
        reply.put("action", event.result().action().wireName());
        reply.put("incident_id", event.result().incidentId());
        if (outcome.type() == IntegrationType.PAGERDUTY) {
            reply.put("status", "success");
            reply.put("message", "Event processed");
            reply.put("dedup_key", event.key());
        }
        return reply;
    }

    private static IncomingHeaders headers(ServerRequest req) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : req.headers()) {
            headers.putIfAbsent(header.name(), header.get());
        }
        return IncomingHeaders.of(headers);
    }

    private static byte[] body(ServerRequest req) {
        long declared = req.headers().contentLength().orElse(-1);
        if (declared > IntakeService.MAX_BODY_BYTES) {
            throw tooLarge();
        }
        if (!req.content().hasEntity()) {
            return new byte[0];
        }
        try (InputStream in = req.content().inputStream()) {
            byte[] bytes = in.readNBytes(IntakeService.MAX_BODY_BYTES + 1);
            if (bytes.length > IntakeService.MAX_BODY_BYTES) {
                throw tooLarge();
            }
            return bytes;
        } catch (IOException e) {
            throw ProblemException.badRequest("the body could not be read");
        }
    }

    private static ProblemException tooLarge() {
        return new ProblemException(Problem.of(413, "payload-too-large", "Payload too large",
                "the body must be at most " + IntakeService.MAX_BODY_BYTES + " bytes (512 KiB)"));
    }
}
