package dev.cronhook.api.http;

import dev.cronhook.api.codec.ChannelCodec;
import dev.cronhook.common.Page;
import dev.cronhook.common.PrefixedIds;
import dev.cronhook.incident.channels.Channel;
import dev.cronhook.incident.channels.ChannelService;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** {@code /v1/channels}: where incident alerts go (signed webhooks or Slack). */
public final class ChannelsEndpoint implements HttpService {
    private final ChannelService channels;
    private final RequestBodies bodies;

    public ChannelsEndpoint(ChannelService channels, RequestBodies bodies) {
        this.channels = channels;
        this.bodies = bodies;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::create)
                .get("/", this::list)
                .get("/{id}", this::get)
                .patch("/{id}", this::update)
                .delete("/{id}", this::delete);
    }

    private void create(ServerRequest req, ServerResponse res) {
        Replies.json(res, 201, ChannelCodec.channelWithSecret(channels.create(ChannelCodec.decode(bodies.json(req)))));
    }

    private void list(ServerRequest req, ServerResponse res) {
        Page<Channel> page = channels.list(Queries.id(req, "cursor", "ch"), Queries.limit(req));
        Replies.list(res, page.data(), page.nextCursor(), ChannelCodec::channel);
    }

    private void get(ServerRequest req, ServerResponse res) {
        Replies.json(res, 200, ChannelCodec.channel(channels.get(id(req))));
    }

    private void update(ServerRequest req, ServerResponse res) {
        String id = id(req);
        Replies.json(res, 200, ChannelCodec.channel(channels.update(id, ChannelCodec.decode(bodies.json(req)))));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        channels.delete(id(req));
        res.status(204).send();
    }

    private static String id(ServerRequest req) {
        String id = req.path().pathParameters().get("id");
        if (!PrefixedIds.looksLike("ch", id)) {
            throw ProblemException.notFound("no channel " + id);
        }
        return id;
    }
}
