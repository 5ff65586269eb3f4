package dev.cronhook.delivery.http;

import dev.cronhook.delivery.attempts.AttemptResult;
import io.helidon.common.buffers.DataReader;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webclient.api.Proxy;
import io.helidon.webclient.api.WebClient;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webclient.spi.DnsResolver;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/**
 * Carries out one HTTP/1.1 exchange on the calling thread, on a pooled keep-alive connection:
 * writes the request exactly as given and reads the response head and the start of its body.
 * Failures are thrown; {@link HttpSender} bounds the time and classifies them.
 */
final class HttpExchanges implements AutoCloseable {

    /** Everything needed from a complete response. */
    record Response(int status, String location, String retryAfter, byte[] body) {}

    private static final Duration MAX_IDLE_CONNECTION_AGE = Duration.ofSeconds(30);

    private final String userAgent;
    private final Http1Client client;
    private final ConnectionPool pool;
    private final Thread evictor;

    /**
     * @param resolver resolves the host of every new connection; where the network policy applies
     * @param maxIdlePerDestination keep-alive connections kept per destination
     */
    HttpExchanges(String userAgent, Duration connectTimeout, DnsResolver resolver, int maxIdlePerDestination) {
        this.userAgent = userAgent;
        WebClient webClient = WebClient.builder()
                // Without TCP_NODELAY a request written in more than one piece on a kept-alive connection waits for the
                // peer's delayed ACK (40 ms on Linux) before its last piece goes out.
                .socketOptions(options -> options.connectTimeout(connectTimeout).tcpNoDelay(true))
                // Connections come from our pool, which never uses a proxy: a proxy would connect
                // to addresses the policy never saw. Said here too, so no proxy header is sent.
                .proxy(Proxy.noProxy())
                .followRedirects(false)
                .sendExpectContinue(false)
                .build();
        this.client = webClient.client(Http1Client.PROTOCOL);
        this.pool = new ConnectionPool(webClient, webClient.prototype().tls(), resolver,
                maxIdlePerDestination, MAX_IDLE_CONNECTION_AGE, System::nanoTime);
        // Periodic rather than on use, so that a quiet sender still lets go of its sockets.
        this.evictor = Thread.ofVirtual().name("cronhook-http-evictor").start(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(MAX_IDLE_CONNECTION_AGE.dividedBy(2));
                    pool.evictIdle();
                }
            } catch (InterruptedException e) {
                // closed
            }
        });
    }

    /**
     * @param connected told once a connection is in hand (a pooled one, or a new one that was accepted)
     * @throws BlockedAddressException when the network policy refuses the destination
     * @throws IOException and unchecked exceptions of the client for everything else
     */
    Response perform(OutgoingRequest request, Runnable connected) throws IOException {
        boolean withContent = request.hasBody();
        ConnectionLease connection;
        try {
            connection = new ConnectionLease(pool.acquire(request.url()),
                    !withContent && ConnectionLease.expectsNoContent(request.method()));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        connected.run();
        boolean headReceived = false;
        try {
            Http1ClientRequest http = client.method(Method.create(request.method()))
                    // As a string with encoding skipped, the path and query go out exactly as
                    // given; from a URI the client would decode and re-encode them (%2F, '+').
                    .uri(requestTarget(request.url()))
                    .skipUriEncoding(true)
                    .connection(connection)
                    .followRedirects(false)
                    // Per read; HttpSender's deadline bounds the exchange as a whole.
                    .readTimeout(request.timeout())
                    .headers(headers -> {
                        headers.set(HeaderNames.HOST, hostHeader(request.url()));
                        request.headers().forEach(
                                (name, value) -> headers.set(HeaderNames.create(name), value));
                        headers.set(HeaderNames.USER_AGENT, userAgent);
                    });
            // Closing the response hands the connection back to the pool when the body was read
            // to its end, and closes it otherwise.
            try (Http1ClientResponse response = withContent ? http.submit(request.bodyBytes()) : http.request()) {
                headReceived = true;
                int status = response.status().code();
                if (status < 200) {
                    // The client takes an interim response (100 Continue, 103 Early Hints) for
                    // the final one and cannot read past it; never sending Expect keeps these rare.
                    throw new IncompleteResponseException("interim response HTTP " + status
                            + " instead of a final one; interim responses are not supported", null);
                }
                byte[] body = request.method().equals("HEAD") ? new byte[0] : readBody(response);
                return new Response(status, first(response, HeaderNames.LOCATION),
                        first(response, HeaderNames.RETRY_AFTER), body);
            }
        } catch (DataReader.InsufficientDataAvailableException e) {
            // The client's word for "the connection closed before what it was reading".
            connection.closeResource();
            throw new IncompleteResponseException(headReceived
                    ? "connection closed before the response body was complete"
                    : "connection closed before a complete response", e);
        } catch (UncheckedIOException e) {
            connection.closeResource();
            throw e.getCause();
        } catch (IOException | RuntimeException | Error e) {
            connection.closeResource();
            throw e;
        }
    }

    /** Closes the idle connections; those still in use close when their exchange ends. */
    @Override
    public void close() {
        evictor.interrupt();
        pool.close();
        client.closeResource();
    }

    private static byte[] readBody(Http1ClientResponse response) throws IOException {
        // Without Content-Length or Transfer-Encoding the body ends where the server closes the
        // connection (RFC 9112, 6.3). The client reports that close as missing data; here it is
        // the regular end of the body.
        boolean endsAtClose = !response.headers().contains(HeaderNames.CONTENT_LENGTH)
                && !response.headers().contains(HeaderNames.TRANSFER_ENCODING);
        InputStream in = response.inputStream();
        if (endsAtClose) {
            in = new EndAtCloseInputStream(in);
        }
        long announced = response.headers().contains(HeaderNames.TRANSFER_ENCODING) ? -1
                : response.headers().contentLength().orElse(-1);
        return CappedBody.read(in, HttpSender.MAX_READ_BYTES, AttemptResult.STORED_BODY_BYTES, announced).stored();
    }

    /** The URL without its fragment, which is never sent. */
    private static String requestTarget(URI url) {
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        String query = url.getRawQuery() == null ? "" : "?" + url.getRawQuery();
        return url.getScheme().toLowerCase(Locale.ROOT) + "://" + hostHeader(url) + path + query;
    }

    /** Host and port as RFC 9110 wants them in Host: the port only when it is not the default. */
    private static String hostHeader(URI url) {
        int port = url.getPort();
        boolean defaultPort = port == -1
                || (port == 80 && url.getScheme().equalsIgnoreCase("http"))
                || (port == 443 && url.getScheme().equalsIgnoreCase("https"));
        return defaultPort ? url.getHost() : url.getHost() + ":" + port;
    }

    private static String first(Http1ClientResponse response, HeaderName name) {
        return response.headers().first(name).orElse(null);
    }
}
