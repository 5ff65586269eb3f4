package dev.cronhook.api.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cronhook.api.codec.Json;
import dev.cronhook.delivery.cluster.Node;
import dev.cronhook.delivery.cluster.NodeHeartbeat;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Map;
import java.util.function.Supplier;

/** {@code /v1/nodes}: the nodes of the cluster, alive or ended within the last day, with the runs each holds. */
public final class NodesEndpoint implements HttpService {
    private final NodeHeartbeat heartbeat;
    private final Supplier<Map<String, Integer>> runsInHand;

    public NodesEndpoint(NodeHeartbeat heartbeat, Supplier<Map<String, Integer>> runsInHand) {
        this.heartbeat = heartbeat;
        this.runsInHand = runsInHand;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list);
    }

    private void list(ServerRequest req, ServerResponse res) {
        Map<String, Integer> runs = runsInHand.get();
        Replies.list(res, heartbeat.nodes(), null, node -> view(node, runs.getOrDefault(node.id(), 0)));
    }

    private ObjectNode view(Node node, int runs) {
        ObjectNode view = Json.object();
        view.put("id", node.id());
        view.put("host", node.host());
        view.put("state", node.state().wireName());
        view.put("this_node", node.id().equals(heartbeat.nodeId()));
        view.put("started_at", Json.time(node.startedAt()));
        view.put("last_heartbeat_at", Json.time(node.lastHeartbeatAt()));
        view.put("runs_in_hand", runs);
        return view;
    }
}
