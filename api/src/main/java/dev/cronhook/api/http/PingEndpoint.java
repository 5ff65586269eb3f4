package dev.cronhook.api.http;

import dev.cronhook.incident.CheckService;
import dev.cronhook.incident.PingRequest;
import dev.cronhook.incident.checks.Ping;
import dev.cronhook.incident.checks.PingKind;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * {@code /ping/{uuid}}, {@code /start}, {@code /fail}, {@code /{exit code}}: what a job on someone else's machine calls,
 * by GET, POST or HEAD, with no API key (PRODUCT.md section 11). Answers {@code OK} as Healthchecks.io does. The UUID
 * is a credential: this endpoint answers its own errors so that no log line carries the path.
 */
public final class PingEndpoint implements HttpService {
    private static final int MAX_EXIT_CODE = 255;

    private final CheckService checks;

    public PingEndpoint(CheckService checks) {
        this.checks = checks;
    }

    @Override
    public void routing(HttpRules rules) {
        for (Method method : new Method[] {Method.GET, Method.POST, Method.HEAD}) {
            rules.route(method, "/{key}", (req, res) -> ping(req, res, PingKind.SUCCESS, null))
                    .route(method, "/{key}/{signal}", this::signal);
        }
    }

    private void signal(ServerRequest req, ServerResponse res) {
        String signal = req.path().pathParameters().get("signal");
        switch (signal) {
            case "start" -> ping(req, res, PingKind.START, null);
            case "fail" -> ping(req, res, PingKind.FAIL, null);
            default -> {
                Integer code = exitCode(signal);
                if (code == null) {
                    ErrorMapper.reply(res, ProblemException.invalid("exit_code", "must be a whole number from 0 to "
                            + MAX_EXIT_CODE + " (or the path must end in /start or /fail)"), "ping");
                    return;
                }
                ping(req, res, code == 0 ? PingKind.SUCCESS : PingKind.FAIL, code);
            }
        }
    }

    private void ping(ServerRequest req, ServerResponse res, PingKind kind, Integer exitCode) {
        try {
            boolean found = checks.ping(new PingRequest(req.path().pathParameters().get("key"), kind, exitCode,
                    req.prologue().method().text(), req.remotePeer().host(),
                    req.headers().first(HeaderNames.USER_AGENT).orElse(null), body(req)));
            res.status(found ? 200 : 404).header(HeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                    .send(found ? "OK" : "not found");
        } catch (RuntimeException e) {
            ErrorMapper.reply(res, e, "ping");
        }
    }

    private static Integer exitCode(String text) {
        if (text.isEmpty() || text.length() > 3 || !text.chars().allMatch(Character::isDigit)) {
            return null;
        }
        int code = Integer.parseInt(text);
        return code <= MAX_EXIT_CODE ? code : null;
    }

    /** The first {@link Ping#MAX_BODY_BYTES}; the rest is read and dropped, so the connection stays usable. */
    private static byte[] body(ServerRequest req) {
        if (!req.content().hasEntity()) {
            return null;
        }
        try (InputStream in = req.content().inputStream()) {
            byte[] kept = in.readNBytes(Ping.MAX_BODY_BYTES);
            in.transferTo(OutputStream.nullOutputStream());
            return kept;
        } catch (IOException e) {
            return null;
        }
    }
}
