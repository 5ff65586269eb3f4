package dev.cronhook.delivery.outbox;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Endpoints kept in memory, as a module's own directory would hand them out; remembers 410 reports. */
final class MapDirectory implements EndpointDirectory {
    private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();
    private final List<String> gone = new CopyOnWriteArrayList<>();

    void put(Endpoint endpoint) {
        endpoints.put(endpoint.id(), endpoint);
    }

    void remove(String endpointId) {
        endpoints.remove(endpointId);
    }

    /** The endpoint ids reported gone, in order. */
    List<String> gone() {
        return List.copyOf(gone);
    }

    @Override
    public Optional<Endpoint> find(String endpointId, Instant at) {
        return Optional.ofNullable(endpoints.get(endpointId));
    }

    @Override
    public void gone(String endpointId, String reason) {
        gone.add(endpointId);
    }
}
