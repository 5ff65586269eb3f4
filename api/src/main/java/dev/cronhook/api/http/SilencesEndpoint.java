package dev.cronhook.api.http;

import dev.cronhook.api.codec.SilenceCodec;
import dev.cronhook.common.Page;
import dev.cronhook.common.PrefixedIds;
import dev.cronhook.incident.SilenceService;
import dev.cronhook.incident.incidents.Silence;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;

/** {@code /v1/silences}: mute alerts of matching incidents for a while; {@code DELETE} ends one now. */
public final class SilencesEndpoint implements HttpService {
    private final SilenceService silences;
    private final RequestBodies bodies;
    private final Clock clock;

    public SilencesEndpoint(SilenceService silences, RequestBodies bodies, Clock clock) {
        this.silences = silences;
        this.bodies = bodies;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::create)
                .get("/", this::list)
                .get("/{id}", this::get)
                .delete("/{id}", this::end);
    }

    private void create(ServerRequest req, ServerResponse res) {
        Replies.json(res, 201, SilenceCodec.silence(silences.create(SilenceCodec.decode(bodies.json(req))),
                clock.instant()));
    }

    private void list(ServerRequest req, ServerResponse res) {
        Page<Silence> page = silences.list(Queries.id(req, "cursor", "sil"), Queries.limit(req));
        var now = clock.instant();
        Replies.list(res, page.data(), page.nextCursor(), silence -> SilenceCodec.silence(silence, now));
    }

    private void get(ServerRequest req, ServerResponse res) {
        Replies.json(res, 200, SilenceCodec.silence(silences.get(id(req)), clock.instant()));
    }

    private void end(ServerRequest req, ServerResponse res) {
        silences.end(id(req));
        res.status(204).send();
    }

    private static String id(ServerRequest req) {
        String id = req.path().pathParameters().get("id");
        if (!PrefixedIds.looksLike("sil", id)) {
            throw ProblemException.notFound("no silence " + id);
        }
        return id;
    }
}
