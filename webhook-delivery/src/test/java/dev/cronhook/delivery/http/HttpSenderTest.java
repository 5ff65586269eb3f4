package dev.cronhook.delivery.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.cronhook.delivery.attempts.AttemptResult;
import dev.cronhook.delivery.attempts.Outcome;
import dev.cronhook.delivery.net.HostLookup;
import dev.cronhook.delivery.net.NetworkPolicy;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class HttpSenderTest {

    private static final String USER_AGENT = "Cronhook/1.2.3-test";
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private static WireMockServer server;
    private static HttpSender sender;

    @BeforeAll
    static void start() {
        server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        sender = new HttpSender(Clock.systemUTC(), USER_AGENT, new HttpSender.Config(Duration.ofSeconds(2)));
    }

    @AfterAll
    static void stop() {
        sender.close();
        server.stop();
    }

    @BeforeEach
    void reset() {
        server.resetAll();
    }

    private static URI url(String path) {
        return URI.create(server.baseUrl() + path);
    }

    private static OutgoingRequest getRequest(String path, Duration timeout) {
        return new OutgoingRequest(url(path), "GET", Map.of(), null, timeout);
    }

    private static AttemptResult sendGet(String path) {
        return sender.send(getRequest(path, TIMEOUT));
    }

    private static void stub(int status, String... headers) {
        var response = aResponse().withStatus(status).withBody("body of " + status);
        for (int i = 0; i < headers.length; i += 2) {
            response = response.withHeader(headers[i], headers[i + 1]);
        }
        server.stubFor(any(anyUrl()).willReturn(response));
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 201, 204})
    void twoHundredsAreSuccess(int status) {
        stub(status);

        AttemptResult result = sendGet("/hook");

        assertEquals(Outcome.SUCCESS, result.outcome());
        assertEquals(status, result.statusCode());
        assertNull(result.error());
        assertFalse(result.retryable());
        assertEquals(status == 204 ? "" : "body of " + status, result.responseBody());
    }

    @Test
    void redirectsAreNotFollowedAndNotRetried() {
        server.stubFor(get("/old").willReturn(aResponse().withStatus(301).withHeader("Location", "/new")));
        server.stubFor(get("/new").willReturn(aResponse().withStatus(200)));

        AttemptResult result = sendGet("/old");

        assertEquals(Outcome.HTTP_ERROR, result.outcome());
        assertEquals(301, result.statusCode());
        assertFalse(result.retryable());
        assertTrue(result.error().contains("/new"), result.error());
        server.verify(0, getRequestedFor(urlEqualTo("/new")));
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 404, 410, 422})
    void clientErrorsAreFinal(int status) {
        stub(status, "Retry-After", "120");

        AttemptResult result = sendGet("/hook");

        assertEquals(Outcome.HTTP_ERROR, result.outcome());
        assertEquals(status, result.statusCode());
        assertEquals("HTTP " + status, result.error());
        assertEquals("body of " + status, result.responseBody());
        assertFalse(result.retryable());
        assertNull(result.retryAfter());
    }

    @ParameterizedTest
    @ValueSource(ints = {408, 429})
    void requestTimeoutAndTooManyRequestsAreRetriedAfterTheirRetryAfter(int status) {
        stub(status, "Retry-After", "120");

        AttemptResult result = sendGet("/hook");

        assertEquals(Outcome.HTTP_ERROR, result.outcome());
        assertTrue(result.retryable());
        assertEquals(Duration.ofSeconds(120), result.retryAfter());
    }

    @Test
    void retryAfterAsAnHttpDateIsMeasuredFromTheClock() {
        Instant now = Instant.parse("2030-06-01T12:00:00Z");
        String in90s = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.ofInstant(now.plusSeconds(90), ZoneOffset.UTC));
        stub(429, "Retry-After", in90s);

        try (HttpSender fixed = new HttpSender(Clock.fixed(now, ZoneOffset.UTC), USER_AGENT)) {
            AttemptResult result = fixed.send(getRequest("/hook", TIMEOUT));

            assertEquals(Duration.ofSeconds(90), result.retryAfter());
            assertEquals(now, result.startedAt());
            assertEquals(now, result.finishedAt());
            assertEquals(0, result.durationMillis());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503, 504})
    void serverErrorsAreRetryable(int status) {
        stub(status);

        AttemptResult result = sendGet("/hook");

        assertEquals(Outcome.HTTP_ERROR, result.outcome());
        assertEquals(status, result.statusCode());
        assertTrue(result.retryable());
        assertNull(result.retryAfter());
    }

    @Test
    void aSlowResponseTimesOut() {
        server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withFixedDelay(5_000)));

        AttemptResult result = timed(getRequest("/slow", Duration.ofMillis(500)));

        assertEquals(Outcome.TIMEOUT, result.outcome());
        assertNull(result.statusCode());
        assertTrue(result.retryable());
        assertEquals("no complete response within 500ms", result.error());
    }

    @Test
    void aBodyDribblingPastTheTimeoutTimesOut() {
        // Headers arrive at once: only a deadline on the whole exchange catches this.
        server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)
                .withBody("x".repeat(1000)).withChunkedDribbleDelay(20, 5_000)));

        AttemptResult result = timed(getRequest("/dribble", Duration.ofSeconds(1)));

        assertEquals(Outcome.TIMEOUT, result.outcome());
        assertTrue(result.retryable());
    }

    @Test
    void aTimedOutExchangeClosesItsConnection() throws Exception {
        // A raw server, to observe the socket: WireMock does not expose its connections.
        try (ServerSocket listener = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            CompletableFuture<Integer> clientClosed = CompletableFuture.supplyAsync(() -> {
                try (java.net.Socket socket = listener.accept()) {
                    socket.getInputStream().read(new byte[8192]);
                    socket.getOutputStream().write(
                            "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\npartial".getBytes(UTF_8));
                    return socket.getInputStream().read(); // -1 once the client hangs up
                } catch (IOException e) {
                    return -1;
                }
            });

            AttemptResult result = sender.send(new OutgoingRequest(
                    URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/"), "GET", Map.of(), null,
                    Duration.ofMillis(500)));

            assertEquals(Outcome.TIMEOUT, result.outcome());
            assertEquals(-1, clientClosed.get(5, java.util.concurrent.TimeUnit.SECONDS));
        }
    }

    /** Sends, asserting that the attempt ended within a generous bound of its timeout. */
    private static AttemptResult timed(OutgoingRequest request) {
        long start = System.nanoTime();
        AttemptResult result = sender.send(request);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(request.timeout()) >= 0, "returned early: " + took);
        assertTrue(took.compareTo(request.timeout().plusSeconds(3)) < 0, "took " + took);
        assertTrue(result.durationMillis() >= request.timeout().toMillis() - 50, result.toString());
        return result;
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = {
        "CONNECTION_RESET_BY_PEER", "EMPTY_RESPONSE", "MALFORMED_RESPONSE_CHUNK", "RANDOM_DATA_THEN_CLOSE"})
    void brokenConnectionsAreConnectionErrors(Fault fault) {
        server.stubFor(any(anyUrl()).willReturn(aResponse().withFault(fault)));

        AttemptResult result = sendGet("/fault");

        assertEquals(Outcome.CONNECTION_ERROR, result.outcome(), result.toString());
        assertTrue(result.retryable());
        assertNull(result.statusCode());
        assertNotNull(result.error());
        assertFalse(result.error().contains("Exception"), result.error());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "garbage\\r\\n\\r\\n                                                          | malformed response: invalid status line",
        "HTTP/1.1 200 OK\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\nzz\\r\\nabc\\r\\n          | malformed response: invalid chunked encoding",
        "HTTP/1.1 200 OK\\r\\nno colon here\\r\\nContent-Length: 0\\r\\n\\r\\n             | malformed response",
        "HTTP/1.1 200 OK\\r\\nContent-Length: 10\\r\\n\\r\\nshort                       | connection closed before the response body was complete",
        "HTTP/1.1 200 OK\\r\\nContent-Le                                              | connection closed before a complete response",
        "HTTP/1.1 103 Early Hints\\r\\n\\r\\nHTTP/1.1 200 OK\\r\\nContent-Length: 0\\r\\n\\r\\n | interim response HTTP 103 instead of a final one; interim responses are not supported",
    })
    void malformedResponsesAreConnectionErrorsSayingWhatWasWrong(String reply, String error) throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            CompletableFuture.runAsync(() -> {
                try (java.net.Socket socket = listener.accept()) {
                    socket.getInputStream().read(new byte[8192]);
                    socket.getOutputStream().write(reply.replace("\\r\\n", "\r\n").getBytes(UTF_8));
                } catch (IOException e) {
                    // the client reports what it got
                }
            });

            AttemptResult result = sender.send(new OutgoingRequest(
                    URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/"), "GET", Map.of(), null, TIMEOUT));

            assertEquals(Outcome.CONNECTION_ERROR, result.outcome(), result.toString());
            assertEquals(error, result.error());
        }
    }

    @Test
    void aClosedPortIsConnectionRefused() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }

        AttemptResult result = sender.send(new OutgoingRequest(
                URI.create("http://127.0.0.1:" + port + "/hook"), "POST", Map.of(), new byte[] {1}, TIMEOUT));

        assertEquals(Outcome.CONNECTION_ERROR, result.outcome());
        assertEquals("connection refused", result.error());
        assertTrue(result.retryable());
    }

    @Test
    void anUntrustedCertificateIsAConnectionError() {
        WireMockServer https = new WireMockServer(wireMockConfig().dynamicPort().dynamicHttpsPort().bindAddress("127.0.0.1"));
        https.start();
        try {
            https.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));

            AttemptResult result = sender.send(new OutgoingRequest(
                    URI.create("https://localhost:" + https.httpsPort() + "/hook"), "GET", Map.of(), null, TIMEOUT));

            assertEquals(Outcome.CONNECTION_ERROR, result.outcome());
            assertEquals("TLS certificate not trusted", result.error());
            assertTrue(result.retryable());
        } finally {
            https.stop();
        }
    }

    @Test
    void anUnknownHostIsAConnectionError() {
        AttemptResult result = sender.send(new OutgoingRequest(
                URI.create("http://cronhook-test.invalid/hook"), "GET", Map.of(), null, TIMEOUT));

        assertEquals(Outcome.CONNECTION_ERROR, result.outcome());
        assertEquals("unknown host cronhook-test.invalid", result.error());
    }

    @Test
    void onlyTheStartOfAHugeResponseIsKept() {
        byte[] huge = new byte[1024 * 1024];
        Arrays.fill(huge, (byte) 'a');
        server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody(huge)));

        AttemptResult result = sendGet("/huge");

        assertEquals(Outcome.SUCCESS, result.outcome());
        assertEquals("a".repeat(AttemptResult.STORED_BODY_BYTES), result.responseBody());
        // The pool must still work after dropping a connection midway.
        stub(200);
        assertEquals(Outcome.SUCCESS, sendGet("/after").outcome());
    }

    @Test
    void nulBytesInTheResponseAreReplaced() {
        server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(500).withBody(new byte[] {'a', 0, 'b'})));

        assertEquals("a\uFFFDb", sendGet("/nul").responseBody());
    }

    @Test
    void sendsMethodBodyAndHeadersExactly() {
        stub(202);
        byte[] body = "{\"run\":42,\"note\":\"é\"}".getBytes(UTF_8);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("Authorization", "Bearer abc.def");
        headers.put("X-Custom", "spaced  value, \"quoted\"; a=b");
        headers.put("webhook-id", "msg_1");

        AttemptResult result = sender.send(new OutgoingRequest(url("/hook?x=1"), "PUT", headers, body, TIMEOUT));

        assertEquals(Outcome.SUCCESS, result.outcome());
        List<LoggedRequest> requests = server.findAll(anyRequestedFor(anyUrl()));
        assertEquals(1, requests.size());
        LoggedRequest request = requests.getFirst();
        assertEquals("PUT", request.getMethod().getName());
        assertEquals("/hook?x=1", request.getUrl());
        assertArrayEquals(body, request.getBody());
        assertEquals("application/json", request.getHeader("Content-Type"));
        assertEquals("Bearer abc.def", request.getHeader("Authorization"));
        assertEquals("spaced  value, \"quoted\"; a=b", request.getHeader("X-Custom"));
        assertEquals("msg_1", request.getHeader("webhook-id"));
        assertEquals(USER_AGENT, request.getHeader("User-Agent"));
        assertEquals(List.of(USER_AGENT), request.header("User-Agent").values());
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "HEAD", "DELETE"})
    void aRequestWithoutBodySendsNone(String method) {
        stub(200);

        AttemptResult result = sender.send(new OutgoingRequest(url("/hook"), method, Map.of(), null, TIMEOUT));

        assertEquals(Outcome.SUCCESS, result.outcome(), result.toString());
        LoggedRequest request = server.findAll(anyRequestedFor(anyUrl())).getFirst();
        assertEquals(method, request.getMethod().getName());
        assertEquals(0, request.getBody().length);
        assertFalse(request.containsHeader("Content-Length"), request.getHeaders().toString());
        assertFalse(request.containsHeader("Transfer-Encoding"));
    }

    @Test
    void anEmptyBodyIsNoBody() {
        stub(200);

        sender.send(new OutgoingRequest(url("/hook"), "POST", Map.of(), new byte[0], TIMEOUT));

        LoggedRequest request = server.findAll(anyRequestedFor(anyUrl())).getFirst();
        assertEquals(0, request.getBody().length);
        assertEquals("0", request.getHeader("Content-Length"));
    }

    @Test
    void sendAsyncCompletesWithTheResult() {
        stub(503, "Retry-After", "7");

        CompletableFuture<AttemptResult> future = sender.sendAsync(getRequest("/hook", TIMEOUT));

        AttemptResult result = future.join();
        assertEquals(503, result.statusCode());
        assertEquals(Duration.ofSeconds(7), result.retryAfter());
    }

    @Test
    void manyConcurrentSendsAllComplete() {
        stub(200);

        List<CompletableFuture<AttemptResult>> futures = java.util.stream.IntStream.range(0, 200)
                .mapToObj(i -> sender.sendAsync(getRequest("/hook/" + i, TIMEOUT)))
                .toList();

        futures.forEach(f -> assertEquals(Outcome.SUCCESS, f.join().outcome()));
    }

    @Test
    void callersCannotSetTheUserAgentOrFramingHeaders() {
        for (String name : List.of("User-Agent", "user-agent", "Host", "Content-Length", "Transfer-Encoding")) {
            assertThrows(IllegalArgumentException.class,
                    () -> new OutgoingRequest(url("/"), "POST", Map.of(name, "x"), null, TIMEOUT), name);
        }
        assertThrows(IllegalArgumentException.class,
                () -> new OutgoingRequest(url("/"), "POST", Map.of("X-A", "a\r\nInjected: 1"), null, TIMEOUT));
        assertThrows(IllegalArgumentException.class,
                () -> new OutgoingRequest(url("/"), "POST", Map.of("X-A", "é"), null, TIMEOUT));
        assertThrows(IllegalArgumentException.class,
                () -> new OutgoingRequest(URI.create("ftp://example.com/"), "GET", Map.of(), null, TIMEOUT));
        assertThrows(IllegalArgumentException.class,
                () -> new OutgoingRequest(url("/"), "GE T", Map.of(), null, TIMEOUT));
    }

    @Test
    void publicOnlyBlocksLoopbackBeforeAnythingIsSent() {
        stub(200);
        HttpSender.Config config = HttpSender.Config.defaults()
                .withNetworkPolicy(NetworkPolicy.create(NetworkPolicy.Mode.PUBLIC_ONLY, List.of(), List.of()));

        try (HttpSender strict = new HttpSender(Clock.systemUTC(), USER_AGENT, config)) {
            AttemptResult result = strict.send(new OutgoingRequest(
                    URI.create("http://localhost:" + server.port() + "/hook"), "POST", Map.of(), new byte[] {1}, TIMEOUT));

            assertEquals(Outcome.BLOCKED, result.outcome());
            assertFalse(result.retryable());
            assertNull(result.statusCode());
            assertTrue(result.error().startsWith("localhost ("), result.error());
            assertTrue(result.error().endsWith("is loopback; refused by the network policy"), result.error());
        }
        assertEquals(0, server.findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void aNameThatResolvesToARefusedAddressIsBlockedAtConnectTime() {
        HostLookup lookup = host -> new java.net.InetAddress[] {java.net.InetAddress.getByName("169.254.169.254")};

        try (HttpSender guarded = new HttpSender(Clock.systemUTC(), USER_AGENT, HttpSender.Config.defaults(), lookup)) {
            AttemptResult result = guarded.send(new OutgoingRequest(
                    URI.create("http://metadata.example.test/latest/meta-data/"), "GET", Map.of(), null, TIMEOUT));

            assertEquals(Outcome.BLOCKED, result.outcome());
            assertEquals("metadata.example.test (169.254.169.254) is link-local; refused by the network policy",
                    result.error());
        }
    }

    @Test
    void onlyAnAllowedAddressOfANameIsConnectedTo() {
        stub(200);
        HostLookup lookup = host -> new java.net.InetAddress[] {
            java.net.InetAddress.getByName("169.254.169.254"), java.net.InetAddress.getByName("127.0.0.1")};

        try (HttpSender guarded = new HttpSender(Clock.systemUTC(), USER_AGENT, HttpSender.Config.defaults(), lookup)) {
            AttemptResult result = guarded.send(new OutgoingRequest(
                    URI.create("http://mixed.example.test:" + server.port() + "/hook"), "GET", Map.of(), null, TIMEOUT));

            assertEquals(Outcome.SUCCESS, result.outcome(), result.toString());
        }
        LoggedRequest request = server.findAll(anyRequestedFor(anyUrl())).getFirst();
        assertEquals("mixed.example.test:" + server.port(), request.getHeader("Host"));
    }

    @Test
    void aNameThatRebindsToARefusedAddressIsBlockedOnItsNextConnection() {
        // "Connection: close" makes the next request open a new connection, and resolve again.
        server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withHeader("Connection", "close")));
        java.util.concurrent.atomic.AtomicReference<String> answer = new java.util.concurrent.atomic.AtomicReference<>("127.0.0.1");
        HostLookup lookup = host -> new java.net.InetAddress[] {java.net.InetAddress.getByName(answer.get())};
        URI url = URI.create("http://rebind.example.test:" + server.port() + "/hook");

        try (HttpSender guarded = new HttpSender(Clock.systemUTC(), USER_AGENT, HttpSender.Config.defaults(), lookup)) {
            assertEquals(Outcome.SUCCESS, guarded.send(new OutgoingRequest(url, "GET", Map.of(), null, TIMEOUT)).outcome());
            answer.set("169.254.169.254");

            AttemptResult second = guarded.send(new OutgoingRequest(url, "GET", Map.of(), null, TIMEOUT));

            assertEquals(Outcome.BLOCKED, second.outcome());
            assertEquals("rebind.example.test (169.254.169.254) is link-local; refused by the network policy",
                    second.error());
        }
        assertEquals(1, server.findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void theDefaultPolicyReachesLoopbackByName() {
        stub(200);

        AttemptResult result = sender.send(new OutgoingRequest(
                URI.create("http://localhost:" + server.port() + "/hook"), "GET", Map.of(), null, TIMEOUT));

        assertEquals(Outcome.SUCCESS, result.outcome(), result.toString());
    }

    @Test
    void consecutiveRequestsReuseOneConnection() throws Exception {
        // A raw server that accepts a single connection: a second one would never be served.
        try (ServerSocket listener = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            CompletableFuture<Integer> served = CompletableFuture.supplyAsync(() -> {
                try (java.net.Socket socket = listener.accept()) {
                    var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), UTF_8));
                    int requests = 0;
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        if (line.isEmpty()) {
                            socket.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(UTF_8));
                            if (++requests == 3) {
                                return requests;
                            }
                        }
                    }
                    return requests;
                } catch (IOException e) {
                    return -1;
                }
            });
            URI url = URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/");

            for (int i = 0; i < 3; i++) {
                AttemptResult result = sender.send(new OutgoingRequest(url, "GET", Map.of(), null, Duration.ofSeconds(2)));
                assertEquals(Outcome.SUCCESS, result.outcome(), result.toString());
            }
            assertEquals(3, served.get(5, java.util.concurrent.TimeUnit.SECONDS));
        }
    }

    @Test
    void aBodyThatEndsWhenTheServerClosesIsReadWhole() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            CompletableFuture.runAsync(() -> {
                try (java.net.Socket socket = listener.accept()) {
                    socket.getInputStream().read(new byte[8192]);
                    socket.getOutputStream().write("HTTP/1.0 200 OK\r\n\r\nuntil the end".getBytes(UTF_8));
                } catch (IOException e) {
                    // the client reports what it got
                }
            });

            AttemptResult result = sender.send(new OutgoingRequest(
                    URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/"), "GET", Map.of(), null, TIMEOUT));

            assertEquals(Outcome.SUCCESS, result.outcome(), result.toString());
            assertEquals("until the end", result.responseBody());
        }
    }

    @Test
    void thePathAndQueryAreSentExactlyAsGiven() {
        stub(200);

        sendGet("/a%20b/%2F/x+y?q=%2F&x=a+b&y=%7e~#fragment");

        assertEquals("/a%20b/%2F/x+y?q=%2F&x=a+b&y=%7e~", server.findAll(anyRequestedFor(anyUrl())).getFirst().getUrl());
    }

    @Test
    void aClosedSenderRefusesToSend() {
        HttpSender closed = new HttpSender(Clock.systemUTC(), USER_AGENT);
        closed.close();

        assertThrows(IllegalStateException.class, () -> closed.send(getRequest("/hook", TIMEOUT)));
    }
}
