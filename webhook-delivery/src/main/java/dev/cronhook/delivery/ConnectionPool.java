package dev.cronhook.delivery;

import io.helidon.common.tls.Tls;
import io.helidon.webclient.api.ConnectionKey;
import io.helidon.webclient.api.DnsAddressLookup;
import io.helidon.webclient.api.Proxy;
import io.helidon.webclient.api.TcpClientConnection;
import io.helidon.webclient.api.WebClient;
import io.helidon.webclient.spi.DnsResolver;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Keep-alive HTTP/1.1 connections per destination (scheme, host and port).
 *
 * <p>Ours rather than the client's built-in cache because the sender needs each exchange's
 * connection in hand: to close it when an exchange fails (the built-in cache leaves that to the
 * caller, who never sees the connection), and to adjust what is written on it (see
 * {@link ConnectionLease}). It also forgets destinations that have gone quiet, where the built-in
 * cache keeps an entry for every destination ever called.
 *
 * <p>Every new connection resolves its host through the given {@link DnsResolver}, which is where
 * the network policy is applied.
 */
final class ConnectionPool implements AutoCloseable {

    private static final List<String> ALPN_PROTOCOLS = List.of("http/1.1");
    private static final Tls NO_TLS = Tls.builder().enabled(false).build();

    private record Idle(TcpClientConnection connection, long since) {}

    private final WebClient webClient;
    private final Tls tls;
    private final DnsResolver resolver;
    private final int maxIdlePerDestination;
    private final long maxIdleNanos;
    private final LongSupplier nanoTime;
    private final Map<String, LinkedBlockingDeque<Idle>> idle = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param webClient supplies socket options (connect timeout) for new connections
     * @param tls used for {@code https} destinations
     * @param maxIdlePerDestination connections kept open for reuse per destination; more are
     *     closed when their exchange ends
     * @param maxIdle how long an unused connection is kept; servers drop idle ones too, and a
     *     request written to a connection the server is just closing fails
     */
    ConnectionPool(WebClient webClient, Tls tls, DnsResolver resolver,
                   int maxIdlePerDestination, Duration maxIdle, LongSupplier nanoTime) {
        this.webClient = webClient;
        this.tls = tls;
        this.resolver = resolver;
        this.maxIdlePerDestination = maxIdlePerDestination;
        this.maxIdleNanos = maxIdle.toNanos();
        this.nanoTime = nanoTime;
    }

    /**
     * An open connection to the URL's destination: an idle one, or a new one.
     *
     * @throws BlockedAddressException when the network policy refuses the destination
     * @throws java.io.UncheckedIOException when the host does not resolve or the connection fails
     */
    TcpClientConnection acquire(URI url) {
        if (closed.get()) {
            throw new IllegalStateException("connection pool is closed");
        }
        long now = nanoTime.getAsLong();
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        int port = url.getPort() >= 0 ? url.getPort() : scheme.equals("https") ? 443 : 80;
        String host = url.getHost();
        String destination = scheme + "://" + host.toLowerCase(Locale.ROOT) + ":" + port;

        LinkedBlockingDeque<Idle> connections = idle.get(destination);
        if (connections != null) {
            // Newest first: the connections used most recently are the least likely to be stale.
            for (Idle candidate = connections.pollFirst(); candidate != null; candidate = connections.pollFirst()) {
                if (now - candidate.since() < maxIdleNanos && candidate.connection().isConnected()) {
                    return candidate.connection();
                }
                candidate.connection().closeResource();
            }
        }
        ConnectionKey key = new ConnectionKey(
                scheme, host, port, Duration.ZERO, scheme.equals("https") ? tls : NO_TLS,
                resolver, DnsAddressLookup.defaultLookup(), Proxy.noProxy());
        return TcpClientConnection.create(
                        webClient, key, ALPN_PROTOCOLS,
                        connection -> offer(destination, connection),
                        connection -> { })
                .connect();
    }

    /** How many destinations have idle connections. */
    int destinations() {
        return idle.size();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            for (String destination : idle.keySet()) {
                LinkedBlockingDeque<Idle> connections = idle.remove(destination);
                if (connections != null) {
                    connections.forEach(entry -> entry.connection().closeResource());
                }
            }
        }
    }

    /** Keeps a connection whose exchange ended cleanly; false makes the caller close it. */
    private boolean offer(String destination, TcpClientConnection connection) {
        if (closed.get() || !connection.isConnected()) {
            return false;
        }
        // Watches the idle socket, so that a connection the server closes is noticed.
        connection.helidonSocket().idle();
        boolean[] kept = new boolean[1];
        Idle entry = new Idle(connection, nanoTime.getAsLong());
        // Offering inside compute() keeps evictIdle() from dropping the queue in between.
        idle.compute(destination, (key, connections) -> {
            LinkedBlockingDeque<Idle> queue =
                    connections != null ? connections : new LinkedBlockingDeque<>(maxIdlePerDestination);
            kept[0] = queue.offerFirst(entry);
            return queue;
        });
        return kept[0];
    }

    /**
     * Closes the connections idle for longer than allowed and those the server has closed (a
     * socket the server closed stays open on our side until we close it), and forgets
     * destinations left without any. Run it periodically.
     */
    void evictIdle() {
        long now = nanoTime.getAsLong();
        for (String destination : idle.keySet()) {
            idle.computeIfPresent(destination, (key, connections) -> {
                for (Idle entry : connections) {
                    boolean stale = now - entry.since() >= maxIdleNanos || !entry.connection().isConnected();
                    // Only a successful remove() makes the connection ours to close: acquire()
                    // may have taken it meanwhile.
                    if (stale && connections.remove(entry)) {
                        entry.connection().closeResource();
                    }
                }
                return connections.isEmpty() ? null : connections;
            });
        }
    }
}
