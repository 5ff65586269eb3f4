package dev.cronhook.delivery.outbox;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The directories modules registered, by the prefix of the endpoint ids they own ({@code wh}, {@code ch}). */
final class EndpointDirectories {

    /** An endpoint as found at send time, or why there is none to send to. */
    sealed interface Lookup {
    }

    record Found(Endpoint endpoint, EndpointDirectory directory) implements Lookup {
    }

    record Missing(String reason) implements Lookup {
    }

    private final ConcurrentHashMap<String, EndpointDirectory> byPrefix = new ConcurrentHashMap<>();

    void register(String idPrefix, EndpointDirectory directory) {
        Objects.requireNonNull(directory, "directory");
        if (idPrefix == null || idPrefix.isEmpty() || idPrefix.contains("_")) {
            throw new IllegalArgumentException("an id prefix is the part before '_', such as \"wh\"");
        }
        if (byPrefix.putIfAbsent(idPrefix, directory) != null) {
            throw new IllegalStateException("a directory for " + idPrefix + "_ ids is already registered");
        }
    }

    Lookup find(String endpointId, Instant at) {
        int underscore = endpointId.indexOf('_');
        EndpointDirectory directory = underscore <= 0 ? null : byPrefix.get(endpointId.substring(0, underscore));
        if (directory == null) {
            return new Missing("no endpoint directory knows ids like " + endpointId + "; not sent");
        }
        Optional<Endpoint> endpoint = directory.find(endpointId, at);
        return endpoint.<Lookup>map(e -> new Found(e, directory))
                .orElseGet(() -> new Missing("endpoint " + endpointId + " was deleted or disabled; not sent"));
    }
}
