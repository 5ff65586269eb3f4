package dev.cronhook.api.http;

import dev.cronhook.common.Page;
import dev.cronhook.common.PrefixedIds;
import dev.cronhook.incident.IncidentService;
import dev.cronhook.incident.channels.IncidentJson;
import dev.cronhook.incident.incidents.Incident;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** {@code /v1/incidents}: list, read with the timeline, acknowledge, resolve. */
public final class IncidentsEndpoint implements HttpService {
    private final IncidentService incidents;
    private final IncidentJson views;

    public IncidentsEndpoint(IncidentService incidents, IncidentJson views) {
        this.incidents = incidents;
        this.views = views;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .get("/{id}", this::get)
                .post("/{id}/acknowledge", this::acknowledge)
                .post("/{id}/resolve", this::resolve);
    }

    private void list(ServerRequest req, ServerResponse res) {
        Page<Incident> page = incidents.list(Queries.optional(req, "status"), Queries.id(req, "integration_id", "int"),
                Queries.id(req, "cursor", "inc"), Queries.limit(req));
        Replies.list(res, page.data(), page.nextCursor(), views::incident);
    }

    private void get(ServerRequest req, ServerResponse res) {
        Replies.json(res, 200, views.detail(incidents.get(id(req))));
    }

    private void acknowledge(ServerRequest req, ServerResponse res) {
        Replies.json(res, 200, views.incident(incidents.acknowledge(id(req))));
    }

    private void resolve(ServerRequest req, ServerResponse res) {
        Replies.json(res, 200, views.incident(incidents.resolve(id(req))));
    }

    private static String id(ServerRequest req) {
        String id = req.path().pathParameters().get("id");
        if (!PrefixedIds.looksLike("inc", id)) {
            throw ProblemException.notFound("no incident " + id);
        }
        return id;
    }
}
