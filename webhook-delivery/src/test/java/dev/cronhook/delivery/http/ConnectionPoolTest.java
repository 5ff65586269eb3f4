package dev.cronhook.delivery.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cronhook.delivery.net.BlockedAddressException;
import dev.cronhook.delivery.net.HostLookup;
import dev.cronhook.delivery.net.NetworkPolicy;
import dev.cronhook.delivery.net.PolicyCheckingResolver;
import io.helidon.webclient.api.Proxy;
import io.helidon.webclient.api.TcpClientConnection;
import io.helidon.webclient.api.WebClient;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConnectionPoolTest {

    private final AtomicLong now = new AtomicLong();
    private final WebClient webClient = WebClient.builder().proxy(Proxy.noProxy()).build();

    private ConnectionPool pool(NetworkPolicy policy) {
        return new ConnectionPool(webClient, webClient.prototype().tls(),
                new PolicyCheckingResolver(policy, HostLookup.SYSTEM), 4, Duration.ofSeconds(30), now::get);
    }

    private final ConnectionPool pool = pool(NetworkPolicy.defaults());

    @AfterEach
    void close() {
        pool.close();
    }

    @Test
    void aReleasedConnectionIsReusedThenClosedOnceIdleTooLong() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // -1 once the client closes the connection.
            CompletableFuture<Integer> closedByClient = CompletableFuture.supplyAsync(() -> {
                try (Socket socket = listener.accept()) {
                    return socket.getInputStream().read();
                } catch (Exception e) {
                    return -2;
                }
            });
            URI url = URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/");

            TcpClientConnection first = pool.acquire(url);
            first.releaseResource();
            TcpClientConnection second = pool.acquire(url);
            assertSame(first, second);
            second.releaseResource();
            assertEquals(1, pool.destinations());

            now.addAndGet(Duration.ofSeconds(31).toNanos());
            pool.evictIdle();

            assertEquals(-1, closedByClient.get(5, TimeUnit.SECONDS));
            assertEquals(0, pool.destinations());
        }
    }

    @Test
    void aConnectionIdleForAWhileIsCheckedAndReusedWhileOpenButNotOnceTheServerClosedIt() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
            URI url = URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/");
            TcpClientConnection first = pool.acquire(url);
            Socket served = listener.accept();
            first.releaseResource();

            now.addAndGet(Duration.ofSeconds(3).toNanos());
            TcpClientConnection again = pool.acquire(url);
            assertSame(first, again, "idle three seconds, checked, still open: reused");
            again.releaseResource();

            served.close();
            Thread.sleep(100); // the server's end of the connection arrives
            now.addAndGet(Duration.ofSeconds(3).toNanos());
            TcpClientConnection fresh = pool.acquire(url);
            listener.setSoTimeout(2_000);
            try (Socket second = listener.accept()) {
                assertNotSame(first, fresh, "closed by the server while idle: a new connection instead");
                assertTrue(second.isConnected());
            }
            fresh.closeResource();
        }
    }

    @Test
    void aRefusedDestinationIsNeverConnectedTo() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ConnectionPool strict = pool(NetworkPolicy.create(NetworkPolicy.Mode.PUBLIC_ONLY, List.of(), List.of()))) {
            listener.setSoTimeout(200);

            assertThrows(BlockedAddressException.class,
                    () -> strict.acquire(URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/")));
            assertThrows(java.net.SocketTimeoutException.class, listener::accept);
        }
    }
}
