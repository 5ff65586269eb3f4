package dev.cronhook.api.http;

import dev.cronhook.api.codec.Json;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;

/**
 * What the server answers when a request fails before any route sees it (a request line it cannot parse, a URI or
 * headers too long): problem+json like every other error, instead of the server's plain text. The detail is fixed
 * per status and never echoes the request.
 */
public final class ProblemDirectHandler implements DirectHandler {
    private ProblemDirectHandler() {
    }

    /** This handler for every event type. */
    public static DirectHandlers forEveryEvent() {
        DirectHandlers.Builder handlers = DirectHandlers.builder();
        ProblemDirectHandler handler = new ProblemDirectHandler();
        for (EventType type : EventType.values()) {
            handlers.addHandler(type, handler);
        }
        return handlers.build();
    }

    /** The problem for a status the HTTP layer refused with; its detail never echoes the request. */
    static Problem forStatus(Status status) {
        return switch (status.code()) {
            case 400 -> Problem.of(400, "malformed-request", "Malformed request", "the request could not be parsed");
            case 401 -> Problem.of(401, "unauthorized", "Unauthorized", "send an API key as Authorization: Bearer <key>");
            case 403 -> Problem.of(403, "forbidden", "Forbidden", "this request is not allowed");
            case 404 -> Problem.of(404, "not-found", "Not found", "no such resource");
            case 405 -> Problem.of(405, "method-not-allowed", "Method not allowed", "this resource does not take that method");
            case 412 -> Problem.of(412, "precondition-failed", "Precondition failed",
                    "the resource does not match the request's condition");
            case 415 -> Problem.of(415, "unsupported-media-type", "Unsupported media type",
                    "the request body's media type is not accepted");
            case 413 -> Problem.of(413, "payload-too-large", "Payload too large", "the request body is too large");
            case 414 -> Problem.of(414, "uri-too-long", "URI too long", "the request URI is too long");
            case 431 -> Problem.of(431, "headers-too-large", "Request header fields too large",
                    "the request headers are too large");
            default -> status.code() >= 500
                    ? Problem.of(500, "internal", "Internal error", "the request failed on the server")
                    : Problem.of(status.code(), "malformed-request", status.reasonPhrase(),
                            "the request could not be handled");
        };
    }

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status status,
                                    ServerResponseHeaders headers, String message) {
        Problem problem = forStatus(status);
        headers.set(HeaderNames.CONTENT_TYPE, "application/problem+json");
        return TransportResponse.builder()
                .status(Status.create(problem.status()))
                .headers(headers)
                .keepAlive(false)
                .entity(Json.bytes(Replies.problemBody(problem)))
                .build();
    }
}
