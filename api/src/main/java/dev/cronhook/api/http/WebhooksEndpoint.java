package dev.cronhook.api.http;

import dev.cronhook.api.codec.WebhookCodec;
import dev.cronhook.common.Page;
import dev.cronhook.common.PrefixedIds;
import dev.cronhook.delivery.outbox.Delivery;
import dev.cronhook.scheduler.notify.Webhook;
import dev.cronhook.scheduler.notify.WebhookService;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** {@code /v1/webhooks}: notification subscriptions, ping, secret rotation, the delivery log and redelivery. */
public final class WebhooksEndpoint implements HttpService {
    private final WebhookService webhooks;
    private final RequestBodies bodies;

    public WebhooksEndpoint(WebhookService webhooks, RequestBodies bodies) {
        this.webhooks = webhooks;
        this.bodies = bodies;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::create)
                .get("/", this::list)
                .get("/{id}", this::get)
                .patch("/{id}", this::update)
                .delete("/{id}", this::delete)
                .post("/{id}/ping", this::ping)
                .post("/{id}/rotate-secret", this::rotateSecret)
                .get("/{id}/deliveries", this::deliveries)
                .get("/{id}/deliveries/{dlv}", this::delivery)
                .post("/{id}/deliveries/{dlv}/redeliver", this::redeliver);
    }

    private void create(ServerRequest req, ServerResponse res) {
        Replies.json(res, 201, WebhookCodec.webhookWithSecret(webhooks.create(WebhookCodec.decode(bodies.json(req)))));
    }

    private void list(ServerRequest req, ServerResponse res) {
        Page<Webhook> page = webhooks.list(Queries.id(req, "cursor", "wh"), Queries.limit(req));
        Replies.list(res, page.data(), page.nextCursor(), WebhookCodec::webhook);
    }

    private void get(ServerRequest req, ServerResponse res) {
        Replies.json(res, 200, WebhookCodec.webhook(webhooks.get(id(req))));
    }

    private void update(ServerRequest req, ServerResponse res) {
        String id = id(req);
        Replies.json(res, 200, WebhookCodec.webhook(webhooks.update(id, WebhookCodec.decode(bodies.json(req)))));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        webhooks.delete(id(req));
        res.status(204).send();
    }

    /** Sends {@code webhook.ping} now and answers with the delivery and its one attempt, whatever the outcome. */
    private void ping(ServerRequest req, ServerResponse res) {
        Replies.json(res, 200, WebhookCodec.delivery(webhooks.ping(id(req))));
    }

    private void rotateSecret(ServerRequest req, ServerResponse res) {
        Replies.json(res, 200, WebhookCodec.webhookWithSecret(webhooks.rotateSecret(id(req))));
    }

    private void deliveries(ServerRequest req, ServerResponse res) {
        Page<Delivery> page = webhooks.deliveries(id(req), Queries.id(req, "cursor", "dlv"), Queries.limit(req));
        Replies.list(res, page.data(), page.nextCursor(), WebhookCodec::delivery);
    }

    private void delivery(ServerRequest req, ServerResponse res) {
        Replies.json(res, 200, WebhookCodec.delivery(webhooks.delivery(id(req), deliveryId(req))));
    }

    private void redeliver(ServerRequest req, ServerResponse res) {
        Replies.json(res, 202, WebhookCodec.delivery(webhooks.redeliver(id(req), deliveryId(req))));
    }

    private static String id(ServerRequest req) {
        String id = req.path().pathParameters().get("id");
        if (!PrefixedIds.looksLike("wh", id)) {
            throw ProblemException.notFound("no webhook " + id);
        }
        return id;
    }

    private static String deliveryId(ServerRequest req) {
        String id = req.path().pathParameters().get("dlv");
        if (!PrefixedIds.looksLike("dlv", id)) {
            throw ProblemException.notFound("no delivery " + id);
        }
        return id;
    }
}
