package dev.cronhook.delivery;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends one HTTP request and classifies how it went. Never follows redirects, never throws for
 * network problems: every failure to get a complete response becomes an {@link AttemptResult}.
 *
 * <p>Every new connection goes to an address the {@link NetworkPolicy} allows, checked after DNS
 * resolution; a refused destination ends as {@link Outcome#BLOCKED} with nothing sent. At most
 * {@link Config#maxInFlightPerHost} requests are in flight to one host and port; beyond that an
 * attempt fails at once as a connection error, so a hanging host cannot tie up everything.
 *
 * <p>Thread-safe, and meant to be shared: one instance holds one connection pool.
 */
public final class HttpSender implements AutoCloseable {

    /** At most this much of a response body is read; the connection is dropped after that. */
    public static final int MAX_READ_BYTES = 64 * 1024;

    public static final int DEFAULT_MAX_IN_FLIGHT_PER_HOST = 2048;

    private static final System.Logger LOG = System.getLogger(HttpSender.class.getName());
    private static final int MAX_LOCATION_CHARS = 200;
    private static final Duration IDLE_BULKHEAD_LIFETIME = Duration.ofMinutes(5);

    /**
     * @param connectTimeout limit on establishing a connection; each request's own timeout still
     *     caps the whole exchange
     * @param networkPolicy which addresses requests may connect to
     * @param maxInFlightPerHost how many requests may be in flight to one host and port at once
     */
    public record Config(Duration connectTimeout, NetworkPolicy networkPolicy, int maxInFlightPerHost) {
        public Config {
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            Objects.requireNonNull(networkPolicy, "networkPolicy");
            if (connectTimeout.isNegative() || connectTimeout.isZero()) {
                throw new IllegalArgumentException("connectTimeout must be positive");
            }
            if (maxInFlightPerHost < 1) {
                throw new IllegalArgumentException("maxInFlightPerHost must be at least 1");
            }
        }

        /** The default network policy and in-flight limit. */
        public Config(Duration connectTimeout) {
            this(connectTimeout, NetworkPolicy.defaults(), DEFAULT_MAX_IN_FLIGHT_PER_HOST);
        }

        public static Config defaults() {
            return new Config(Duration.ofSeconds(10));
        }

        public Config withNetworkPolicy(NetworkPolicy policy) {
            return new Config(connectTimeout, policy, maxInFlightPerHost);
        }

        public Config withMaxInFlightPerHost(int limit) {
            return new Config(connectTimeout, networkPolicy, limit);
        }
    }

    private final Clock clock;
    private final String userAgent;
    private final ExecutorService executor;
    private final HttpExchanges exchanges;
    private final HttpExchanges loopbackExchanges;
    private final HostBulkheads bulkheads;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** @param userAgent sent on every request, e.g. {@code "Cronhook/1.2.0"} */
    public HttpSender(Clock clock, String userAgent) {
        this(clock, userAgent, Config.defaults());
    }

    public HttpSender(Clock clock, String userAgent, Config config) {
        this(clock, userAgent, config, HostLookup.SYSTEM);
    }

    HttpSender(Clock clock, String userAgent, Config config, HostLookup lookup) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.userAgent = Objects.requireNonNull(userAgent, "userAgent");
        Objects.requireNonNull(config, "config");
        if (userAgent.isBlank() || userAgent.chars().anyMatch(c -> c < 0x20 || c > 0x7e)) {
            throw new IllegalArgumentException("userAgent must be printable ASCII");
        }
        this.executor = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("cronhook-http-", 0).factory());
        this.bulkheads = new HostBulkheads(
                config.maxInFlightPerHost(), IDLE_BULKHEAD_LIFETIME, System::nanoTime);
        this.exchanges = new HttpExchanges(
                userAgent,
                config.connectTimeout(),
                new PolicyCheckingResolver(config.networkPolicy(), lookup),
                // Room to keep a connection for every request the bulkhead lets through to one
                // destination, so a busy destination does not churn through ephemeral ports.
                config.maxInFlightPerHost());
        this.loopbackExchanges = new HttpExchanges(userAgent, config.connectTimeout(),
                new LoopbackOnlyResolver(lookup), config.maxInFlightPerHost());
    }

    /**
     * Sends the request and waits for the complete response, up to the request's timeout.
     *
     * @throws CancellationException if the calling thread is interrupted; nothing is recorded
     *     for an attempt abandoned by our own shutdown (the interrupt flag stays set)
     */
    public AttemptResult send(OutgoingRequest request) {
        return send(request, exchanges);
    }

    /**
     * {@link #send} to Cronhook itself on this machine (the built-in incident loop posts to the node's own intake):
     * loopback addresses only, whatever the network policy says — the policy governs where users' jobs and
     * webhooks go, not Cronhook's loop to itself.
     */
    public AttemptResult sendToSelf(OutgoingRequest request) {
        return send(request, loopbackExchanges);
    }

    private AttemptResult send(OutgoingRequest request, HttpExchanges exchanges) {
        Objects.requireNonNull(request, "request");
        requireOpen();
        Instant startedAt = clock.instant();
        // The deadline runs on nanoTime, not the injected clock: a test's fixed clock must not
        // make requests wait forever, and wall-clock jumps must not cut them short.
        long deadline = System.nanoTime() + request.timeout().toNanos();

        String destination = HostBulkheads.destination(request.url());
        HostBulkheads.Permit permit = bulkheads.tryAcquire(destination);
        if (permit == null) {
            return failure(Outcome.CONNECTION_ERROR, "too many requests in flight to " + destination
                    + " (limit " + bulkheads.limit() + ")", startedAt);
        }
        Future<HttpExchanges.Response> exchange;
        try {
            // The exchange runs on a thread of its own so that it can be interrupted at the
            // deadline: interrupting a virtual thread blocked on a socket closes the socket,
            // which ends a response that dribbles in forever.
            exchange = executor.submit(() -> {
                try {
                    return exchanges.perform(request);
                } finally {
                    permit.release();
                }
            });
        } catch (RejectedExecutionException e) {
            permit.release();
            throw new IllegalStateException("HttpSender is closed", e);
        }
        try {
            HttpExchanges.Response response = exchange.get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            return fromResponse(response, startedAt);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            // The interrupt closes the exchange's socket: its place is free now, not when its thread gets to run.
            permit.release();
            return failure(Outcome.TIMEOUT, TransportErrors.timeoutMessage(request), startedAt);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof BlockedAddressException blocked) {
                return failure(Outcome.BLOCKED, blocked.getMessage(), startedAt);
            }
            TransportErrors.Failure failure = TransportErrors.classify(e.getCause(), request);
            if (!failure.understood()) {
                // The message may be a bug of ours in disguise; the URL stays out (tokens).
                LOG.log(System.Logger.Level.WARNING, "unexpected failure sending to "
                        + destination + ": " + e.getCause());
            }
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
            executor.close();
            exchanges.close();
            loopbackExchanges.close();
        }
    }

    private void requireOpen() {
        if (closed.get()) {
            throw new IllegalStateException("HttpSender is closed");
        }
    }

    private AttemptResult fromResponse(HttpExchanges.Response response, Instant startedAt) {
        Instant finishedAt = finishedAfter(startedAt);
        int status = response.status();
        String body = decode(response.body());
        if (status >= 200 && status <= 299) {
            return new AttemptResult(
                    Outcome.SUCCESS, status, null, body, null, startedAt, finishedAt);
        }
        String error = "HTTP " + status;
        if (status >= 300 && status <= 399) {
            error += response.location() == null
                    ? ", redirect not followed"
                    : ", redirect to " + clip(response.location()) + " not followed";
        }
        Duration retryAfter = AttemptResult.isRetryableStatus(status)
                ? RetryAfter.parse(response.retryAfter(), finishedAt)
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
