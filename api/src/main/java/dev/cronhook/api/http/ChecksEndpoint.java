package dev.cronhook.api.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cronhook.api.codec.CheckCodec;
import dev.cronhook.api.keys.Caller;
import dev.cronhook.api.keys.Scope;
import dev.cronhook.common.Page;
import dev.cronhook.common.PrefixedIds;
import dev.cronhook.incident.CheckService;
import dev.cronhook.incident.checks.Check;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.net.URI;
import java.time.Clock;

/** {@code /v1/checks}: heartbeat checks, their pings and their status changes. */
public final class ChecksEndpoint implements HttpService {
    private final CheckService checks;
    private final RequestBodies bodies;
    private final Clock clock;
    private final URI publicUrl;

    /** @param publicUrl the base of ping URLs; null to take it from each request's Host */
    public ChecksEndpoint(CheckService checks, RequestBodies bodies, Clock clock, URI publicUrl) {
        this.checks = checks;
        this.bodies = bodies;
        this.clock = clock;
        this.publicUrl = publicUrl;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::create)
                .get("/", this::list)
                .get("/{id}", this::get)
                .patch("/{id}", this::update)
                .delete("/{id}", this::delete)
                .post("/{id}/pause", this::pause)
                .post("/{id}/resume", this::resume)
                .get("/{id}/pings", this::pings)
                .get("/{id}/flips", this::flips);
    }

    private void create(ServerRequest req, ServerResponse res) {
        Replies.json(res, 201, view(req, checks.create(CheckCodec.decode(bodies.json(req)))));
    }

    private void list(ServerRequest req, ServerResponse res) {
        Page<Check> page = checks.list(Queries.id(req, "cursor", "hc"), Queries.limit(req));
        Replies.list(res, page.data(), page.nextCursor(), check -> view(req, check));
    }

    private void get(ServerRequest req, ServerResponse res) {
        Replies.json(res, 200, view(req, checks.get(id(req))));
    }

    private void update(ServerRequest req, ServerResponse res) {
        String id = id(req);
        Replies.json(res, 200, view(req, checks.update(id, CheckCodec.decode(bodies.json(req)))));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        checks.delete(id(req));
        res.status(204).send();
    }

    private void pause(ServerRequest req, ServerResponse res) {
        Replies.json(res, 200, view(req, checks.pause(id(req))));
    }

    private void resume(ServerRequest req, ServerResponse res) {
        Replies.json(res, 200, view(req, checks.resume(id(req))));
    }

    private void pings(ServerRequest req, ServerResponse res) {
        Replies.list(res, checks.pings(id(req)), null, CheckCodec::ping);
    }

    private void flips(ServerRequest req, ServerResponse res) {
        Replies.list(res, checks.flips(id(req)), null, CheckCodec::flip);
    }

    /**
     * The ping URL is a credential (whoever has it can report the job fine, or failed): a {@code read} key, which may
     * not change anything, does not see it, as Healthchecks.io's read-only keys do not.
     */
    private ObjectNode view(ServerRequest req, Check check) {
        boolean reader = req.context().get(Caller.class).map(c -> c.scope() == Scope.READ).orElse(true);
        return CheckCodec.check(check, clock.instant(), reader ? null : BaseUrls.of(req, publicUrl));
    }

    private static String id(ServerRequest req) {
        String id = req.path().pathParameters().get("id");
        if (!PrefixedIds.looksLike("hc", id)) {
            throw ProblemException.notFound("no check " + id);
        }
        return id;
    }
}
