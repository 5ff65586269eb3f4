package dev.cronhook.delivery.http;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.tls.Tls;
import io.helidon.webclient.api.ConnectionKey;
import io.helidon.webclient.api.DnsAddressLookup;
import io.helidon.webclient.api.Proxy;
import io.helidon.webclient.api.TcpClientConnection;
import io.helidon.webclient.api.WebClient;
import io.helidon.webclient.spi.DnsResolver;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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

    /** The idle connections of one destination, newest first; lock-free, as every exchange's end offers one. */
    private static final class Shelf {
        final ConcurrentLinkedDeque<Idle> connections = new ConcurrentLinkedDeque<>();
        final AtomicInteger size = new AtomicInteger();

        Idle take() {
            Idle idle = connections.pollFirst();
            if (idle != null) {
                size.decrementAndGet();
            }
            return idle;
        }

        boolean put(Idle idle, int max) {
            if (size.incrementAndGet() > max) {
                size.decrementAndGet();
                return false;
            }
            connections.offerFirst(idle);
            return true;
        }

        /** Takes this very entry back; false when another thread took it first. */
        boolean takeBack(Idle idle) {
            if (connections.removeFirstOccurrence(idle)) {
                size.decrementAndGet();
                return true;
            }
            return false;
        }
    }

    /**
     * A connection idle for longer than this is checked before it is reused: the server may have closed it meanwhile
     * (most close idle ones after 5 s or more). Within a burst, and at a steady pace of a request a second or more,
     * connections go straight back to work unchecked: the check costs a timed-out read.
     */
    private static final long CHECK_AFTER_IDLE_NANOS = Duration.ofSeconds(2).toNanos();
    private static final Duration CHECK_READ_TIMEOUT = Duration.ofMillis(1);

    private final WebClient webClient;
    private final Tls tls;
    private final DnsResolver resolver;
    private final int maxIdlePerDestination;
    private final long maxIdleNanos;
    private final LongSupplier nanoTime;
    private final Map<String, Shelf> idle = new ConcurrentHashMap<>();
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

        Shelf shelf = idle.get(destination);
        if (shelf != null) {
            // Newest first: the connections used most recently are the least likely to be stale.
            for (Idle candidate = shelf.take(); candidate != null; candidate = shelf.take()) {
                long idleFor = now - candidate.since();
                if (idleFor < maxIdleNanos && (idleFor < CHECK_AFTER_IDLE_NANOS || stillOpen(candidate.connection()))) {
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
                Shelf shelf = idle.remove(destination);
                if (shelf != null) {
                    for (Idle entry = shelf.take(); entry != null; entry = shelf.take()) {
                        entry.connection().closeResource();
                    }
                }
            }
        }
    }

    /**
     * Keeps a connection whose exchange ended cleanly; false makes the caller close it. Every exchange ends here, so
     * it takes no lock: a shelf the evictor dropped meanwhile is noticed afterwards, and the entry moved on.
     *
     * <p>The client's own idle watch ({@code HelidonSocket.idle()}) is not used: it starts a thread that reads the
     * socket in 101 ms steps, and taking the connection back waits for the current step to end — up to 101 ms on
     * every reuse. A connection idle for a while is checked when it is taken instead ({@link #stillOpen}).
     */
    private boolean offer(String destination, TcpClientConnection connection) {
        if (closed.get() || !connection.isConnected()) {
            return false;
        }
        Idle entry = new Idle(connection, nanoTime.getAsLong());
        while (true) {
            Shelf shelf = idle.computeIfAbsent(destination, key -> new Shelf());
            if (!shelf.put(entry, maxIdlePerDestination)) {
                return false;
            }
            if (idle.get(destination) == shelf || !shelf.takeBack(entry)) {
                // Still the destination's shelf, or someone already took the connection from it: either is fine.
                return true;
            }
        }
    }

    /**
     * Whether an idle connection is still open: a read that must time out at once. A server that closed it has sent
     * its end (the read answers -1) or a reset; bytes on an idle HTTP/1.1 connection make it unusable too.
     */
    private static boolean stillOpen(TcpClientConnection connection) {
        try {
            connection.readTimeout(CHECK_READ_TIMEOUT);
            connection.helidonSocket().read(BufferData.create(1));
            return false;
        } catch (RuntimeException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof SocketTimeoutException) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * Closes the connections idle for longer than allowed (a socket the server closed stays open on our side until we
     * close it), and forgets destinations left without any. Run it periodically.
     */
    void evictIdle() {
        long now = nanoTime.getAsLong();
        for (String destination : idle.keySet()) {
            idle.computeIfPresent(destination, (key, shelf) -> {
                for (Idle entry : shelf.connections) {
                    // Only taking it back makes the connection ours to close: acquire() may have taken it meanwhile.
                    if (now - entry.since() >= maxIdleNanos && shelf.takeBack(entry)) {
                        entry.connection().closeResource();
                    }
                }
                return shelf.connections.isEmpty() ? null : shelf;
            });
        }
    }
}
