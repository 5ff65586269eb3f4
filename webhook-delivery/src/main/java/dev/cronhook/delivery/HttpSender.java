package dev.cronhook.delivery;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends one HTTP request and classifies how it went. Never follows redirects, never throws for
 * network problems: every failure to get a complete response becomes an {@link AttemptResult}.
 *
 * <p>Thread-safe, and meant to be shared: one instance holds one connection pool.
 */
public final class HttpSender implements AutoCloseable {

    /** At most this much of a response body is read; the connection is dropped after that. */
    public static final int MAX_READ_BYTES = 64 * 1024;

    private static final int MAX_LOCATION_CHARS = 200;

    /**
     * @param connectTimeout limit on establishing a connection; each request's own timeout still
     *     caps the whole exchange
     */
    public record Config(Duration connectTimeout) {
        public Config {
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            if (connectTimeout.isNegative() || connectTimeout.isZero()) {
                throw new IllegalArgumentException("connectTimeout must be positive");
            }
        }

        public static Config defaults() {
            return new Config(Duration.ofSeconds(10));
        }
    }

    private final Clock clock;
    private final String userAgent;
    private final ExecutorService executor;
    private final HttpClient client;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** @param userAgent sent on every request, e.g. {@code "Cronhook/1.2.0"} */
    public HttpSender(Clock clock, String userAgent) {
        this(clock, userAgent, Config.defaults());
    }

    public HttpSender(Clock clock, String userAgent, Config config) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.userAgent = Objects.requireNonNull(userAgent, "userAgent");
        if (userAgent.isBlank() || userAgent.chars().anyMatch(c -> c < 0x20 || c > 0x7e)) {
            throw new IllegalArgumentException("userAgent must be printable ASCII");
        }
        this.executor = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("cronhook-http-", 0).factory());
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(config.connectTimeout())
                .executor(executor)
                .build();
    }

    /**
     * Sends the request and waits for the complete response, up to the request's timeout.
     *
     * @throws CancellationException if the calling thread is interrupted; nothing is recorded
     *     for an attempt abandoned by our own shutdown (the interrupt flag stays set)
     */
    public AttemptResult send(OutgoingRequest request) {
        Objects.requireNonNull(request, "request");
        requireOpen();
        Instant startedAt = clock.instant();
        // The deadline runs on nanoTime, not the injected clock: a test's fixed clock must not
        // make requests wait forever, and wall-clock jumps must not cut them short.
        long deadline = System.nanoTime() + request.timeout().toNanos();

        CompletableFuture<HttpResponse<CappedBodySubscriber.Body>> exchange = client.sendAsync(
                toHttpRequest(request),
                info -> new CappedBodySubscriber(MAX_READ_BYTES, AttemptResult.STORED_BODY_BYTES));
        try {
            // HttpRequest.timeout only covers the wait for headers; this covers the body too.
            HttpResponse<CappedBodySubscriber.Body> response =
                    exchange.get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            return fromResponse(response, startedAt);
        } catch (TimeoutException e) {
            // Cancelling the JDK's future aborts the exchange and closes its connection.
            exchange.cancel(true);
            return failure(Outcome.TIMEOUT, TransportErrors.timeoutMessage(request), startedAt);
        } catch (ExecutionException e) {
            TransportErrors.Failure failure = TransportErrors.classify(e.getCause(), request);
            return failure(failure.outcome(), failure.message(), startedAt);
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while sending");
        }
    }

    /**
     * {@link #send} on a virtual thread of this sender. The future always completes normally
     * with a result, within about the request's timeout.
     */
    public CompletableFuture<AttemptResult> sendAsync(OutgoingRequest request) {
        Objects.requireNonNull(request, "request");
        requireOpen();
        return CompletableFuture.supplyAsync(() -> send(request), executor);
    }

    /** Waits for requests in flight (each bounded by its timeout), then releases the pool. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            client.close();
            executor.close();
        }
    }

    private void requireOpen() {
        if (closed.get()) {
            throw new IllegalStateException("HttpSender is closed");
        }
    }

    private HttpRequest toHttpRequest(OutgoingRequest request) {
        HttpRequest.Builder builder =
                HttpRequest.newBuilder(request.url()).timeout(request.timeout());
        if (request.hasBody()) {
            builder.method(request.method(), BodyPublishers.ofByteArray(request.bodyBytes()));
        } else {
            // The dedicated builder methods omit "Content-Length: 0", which RFC 9110 says not to
            // send when the method expects no content; method(..., noBody()) would send it.
            switch (request.method()) {
                case "GET" -> builder.GET();
                case "HEAD" -> builder.HEAD();
                case "DELETE" -> builder.DELETE();
                default -> builder.method(request.method(), BodyPublishers.noBody());
            }
        }
        request.headers().forEach(builder::header);
        builder.header("User-Agent", userAgent);
        return builder.build();
    }

    private AttemptResult fromResponse(
            HttpResponse<CappedBodySubscriber.Body> response, Instant startedAt) {
        Instant finishedAt = finishedAfter(startedAt);
        int status = response.statusCode();
        String body = decode(response.body().stored());
        if (status >= 200 && status <= 299) {
            return new AttemptResult(
                    Outcome.SUCCESS, status, null, body, null, startedAt, finishedAt);
        }
        String error = "HTTP " + status;
        if (status >= 300 && status <= 399) {
            error += response.headers().firstValue("Location")
                    .map(location -> ", redirect to " + clip(location) + " not followed")
                    .orElse(", redirect not followed");
        }
        Duration retryAfter = AttemptResult.isRetryableStatus(status)
                ? RetryAfter.parse(
                        response.headers().firstValue("Retry-After").orElse(null), finishedAt)
                : null;
        return new AttemptResult(
                Outcome.HTTP_ERROR, status, error, body, retryAfter, startedAt, finishedAt);
    }

    private AttemptResult failure(Outcome outcome, String message, Instant startedAt) {
        return new AttemptResult(
                outcome, null, message, null, null, startedAt, finishedAfter(startedAt));
    }

    /** Never before {@code startedAt}, even if the wall clock stepped back meanwhile. */
    private Instant finishedAfter(Instant startedAt) {
        Instant now = clock.instant();
        return now.isBefore(startedAt) ? startedAt : now;
    }

    private static String decode(byte[] stored) {
        // Lossy on purpose: a cut multi-byte character or a binary body becomes U+FFFD. NUL is
        // replaced too, because PostgreSQL text columns cannot store it.
        return new String(stored, UTF_8).replace('\u0000', '\uFFFD');
    }

    private static String clip(String text) {
        String clean = text.replaceAll("\\p{Cntrl}", "?");
        return clean.length() <= MAX_LOCATION_CHARS
                ? clean
                : clean.substring(0, MAX_LOCATION_CHARS) + "…";
    }
}
