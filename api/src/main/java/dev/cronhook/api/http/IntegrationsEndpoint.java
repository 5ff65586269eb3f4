package dev.cronhook.api.http;

import dev.cronhook.api.codec.IntegrationCodec;
import dev.cronhook.common.Page;
import dev.cronhook.common.PrefixedIds;
import dev.cronhook.incident.integrations.CreatedIntegration;
import dev.cronhook.incident.integrations.Integration;
import dev.cronhook.incident.integrations.IntegrationService;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.net.URI;

/** {@code /v1/integrations}: the sources of incident events, each with its intake token. */
public final class IntegrationsEndpoint implements HttpService {
    private final IntegrationService integrations;
    private final RequestBodies bodies;
    private final URI publicUrl;

    /** @param publicUrl the base of intake URLs; null to take it from each request's Host */
    public IntegrationsEndpoint(IntegrationService integrations, RequestBodies bodies, URI publicUrl) {
        this.integrations = integrations;
        this.bodies = bodies;
        this.publicUrl = publicUrl;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::create)
                .get("/", this::list)
                .get("/{id}", this::get)
                .patch("/{id}", this::update)
                .delete("/{id}", this::delete)
                .post("/{id}/rotate-token", this::rotateToken);
    }

    private void create(ServerRequest req, ServerResponse res) {
        CreatedIntegration created = integrations.create(IntegrationCodec.decode(bodies.json(req)));
        Replies.json(res, 201, IntegrationCodec.integrationWithToken(created, BaseUrls.of(req, publicUrl)));
    }

    private void list(ServerRequest req, ServerResponse res) {
        Page<Integration> page = integrations.list(Queries.id(req, "cursor", "int"), Queries.limit(req));
        Replies.list(res, page.data(), page.nextCursor(), IntegrationCodec::integration);
    }

    private void get(ServerRequest req, ServerResponse res) {
        Replies.json(res, 200, IntegrationCodec.integration(integrations.get(id(req))));
    }

    private void update(ServerRequest req, ServerResponse res) {
        String id = id(req);
        Integration changed = integrations.update(id, IntegrationCodec.decode(bodies.json(req)));
        Replies.json(res, 200, IntegrationCodec.integration(changed));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        integrations.delete(id(req));
        res.status(204).send();
    }

    private void rotateToken(ServerRequest req, ServerResponse res) {
        Replies.json(res, 200, IntegrationCodec.integrationWithToken(integrations.rotateToken(id(req)),
                BaseUrls.of(req, publicUrl)));
    }

    private static String id(ServerRequest req) {
        String id = req.path().pathParameters().get("id");
        if (!PrefixedIds.looksLike("int", id)) {
            throw ProblemException.notFound("no integration " + id);
        }
        return id;
    }
}
