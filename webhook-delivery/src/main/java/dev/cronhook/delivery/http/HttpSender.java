package dev.cronhook.delivery.http;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.cronhook.delivery.attempts.AttemptResult;
import dev.cronhook.delivery.attempts.Outcome;
import dev.cronhook.delivery.attempts.RetryAfter;
import dev.cronhook.delivery.net.BlockedAddressException;
import dev.cronhook.delivery.net.HostLookup;
import dev.cronhook.delivery.net.LoopbackOnlyResolver;
import dev.cronhook.delivery.net.NetworkPolicy;
import dev.cronhook.delivery.net.PolicyCheckingResolver;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Sends HTTP requests and classifies how each went. Never follows redirects, never throws for
 * network problems: every failure to get a complete response becomes an {@link AttemptResult}.
 *
 * <p>Requests wait their turn in a queue per destination (host and port): at most
 * {@link Config#connectionsPerDestination} are under way to one destination at once, on keep-alive
 * connections, and the rest wait — a burst of runs due together waits, it does not fail, and a busy
 * destination never holds up another one. A request is built (and signed) when its turn comes, and
 * its timeout counts from then; the wait is reported as {@link AttemptResult#queuedMillis}. Connects
 * that time out again and again open the destination's circuit: while it is open its requests fail
 * at once as connection errors instead of each waiting out a connect timeout.
 *
 * <p>Every new connection goes to an address the {@link NetworkPolicy} allows, checked after DNS
 * resolution; a refused destination ends as {@link Outcome#BLOCKED} with nothing sent.
 *
 * <p>Thread-safe, and meant to be shared: one instance holds one connection pool.
 */
public final class HttpSender implements AutoCloseable {

    /** At most this much of a response body is read; the connection is dropped after that. */
    public static final int MAX_READ_BYTES = 64 * 1024;

    public static final int DEFAULT_CONNECTIONS_PER_DESTINATION = 64;

    private static final System.Logger LOG = System.getLogger(HttpSender.class.getName());
    private static final int MAX_LOCATION_CHARS = 200;
    private static final Duration IDLE_QUEUE_LIFETIME = Duration.ofMinutes(5);

    /**
     * @param connectTimeout limit on establishing a connection; each request's own timeout still
     *     caps the whole exchange
     * @param networkPolicy which addresses requests may connect to
     * @param connectionsPerDestination how many requests may be under way to one host and port at
     *     once, each on its own connection; more wait their turn
     * @param connectTimeoutsToOpen connects to one destination in a row that time out before its
     *     circuit opens
     * @param circuitOpenFor how long an open circuit fails requests at once before one tries again
     */
    public record Config(Duration connectTimeout, NetworkPolicy networkPolicy, int connectionsPerDestination,
                         int connectTimeoutsToOpen, Duration circuitOpenFor) {
        public Config {
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            Objects.requireNonNull(networkPolicy, "networkPolicy");
            Objects.requireNonNull(circuitOpenFor, "circuitOpenFor");
            if (connectTimeout.isNegative() || connectTimeout.isZero()) {
                throw new IllegalArgumentException("connectTimeout must be positive");
            }
            if (connectionsPerDestination < 1) {
                throw new IllegalArgumentException("connectionsPerDestination must be at least 1");
            }
            if (connectTimeoutsToOpen < 1) {
                throw new IllegalArgumentException("connectTimeoutsToOpen must be at least 1");
            }
            if (circuitOpenFor.isNegative() || circuitOpenFor.isZero()) {
                throw new IllegalArgumentException("circuitOpenFor must be positive");
            }
        }

        /** The default network policy, connections and circuit. */
        public Config(Duration connectTimeout) {
            this(connectTimeout, NetworkPolicy.defaults(), DEFAULT_CONNECTIONS_PER_DESTINATION, 5,
                    Duration.ofSeconds(30));
        }

        public static Config defaults() {
            return new Config(Duration.ofSeconds(10));
        }

        public Config withConnectTimeout(Duration timeout) {
            return new Config(timeout, networkPolicy, connectionsPerDestination, connectTimeoutsToOpen,
                    circuitOpenFor);
        }

        public Config withNetworkPolicy(NetworkPolicy policy) {
            return new Config(connectTimeout, policy, connectionsPerDestination, connectTimeoutsToOpen,
                    circuitOpenFor);
        }

        public Config withConnectionsPerDestination(int connections) {
            return new Config(connectTimeout, networkPolicy, connections, connectTimeoutsToOpen, circuitOpenFor);
        }

        public Config withCircuit(int connectTimeoutsToOpen, Duration openFor) {
            return new Config(connectTimeout, networkPolicy, connectionsPerDestination, connectTimeoutsToOpen,
                    openFor);
        }
    }

    /** What is queued and under way now, for metrics. */
    public record Stats(int waiting, int sending, int destinations, int openCircuits) {
    }

    /** Where requests go: a connection pool and the queues in front of it. */
    private record Route(HttpExchanges exchanges, DestinationQueues queues) {
    }

    private final Clock clock;
    private final String userAgent;
    private final Duration circuitOpenFor;
    private final ExecutorService executor;
    private final ScheduledThreadPoolExecutor deadlines;
    private final Route everywhere;
    private final Route self;
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
        this.circuitOpenFor = config.circuitOpenFor();
        this.executor = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("cronhook-http-", 0).factory());
        this.deadlines = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().daemon().name("cronhook-http-deadlines").factory());
        // Nearly every deadline is cancelled (the answer came first): drop those at once, not when they come due.
        deadlines.setRemoveOnCancelPolicy(true);
        // The pools keep as many idle connections per destination as may be under way to it, so a
        // busy destination reuses its connections instead of churning through ephemeral ports.
        this.everywhere = new Route(
                new HttpExchanges(userAgent, config.connectTimeout(),
                        new PolicyCheckingResolver(config.networkPolicy(), lookup), config.connectionsPerDestination()),
                queues(config));
        this.self = new Route(
                new HttpExchanges(userAgent, config.connectTimeout(), new LoopbackOnlyResolver(lookup),
                        config.connectionsPerDestination()),
                queues(config));
    }

    private static DestinationQueues queues(Config config) {
        return new DestinationQueues(config.connectionsPerDestination(), config.connectTimeoutsToOpen(),
                config.circuitOpenFor(), IDLE_QUEUE_LIFETIME, System::nanoTime);
    }

    /**
     * Queues a request to the destination of {@code url}; {@code request} builds it when its turn comes, given the
     * moment it is sent (sign it then, so that its timestamp is fresh however long it waited). The request must go
     * to the destination of {@code url}.
     *
     * @throws IllegalStateException when the sender is closed
     */
    public PendingSend submit(URI url, Function<Instant, OutgoingRequest> request) {
        return submit(everywhere, url, Lane.ON_TIME, request);
    }

    /** {@link #submit} in the given lane: a {@link Lane#BACKLOG} request lets its destination's on-time ones go first. */
    public PendingSend submit(URI url, Lane lane, Function<Instant, OutgoingRequest> request) {
        return submit(everywhere, url, lane, request);
    }

    /**
     * {@link #submit} to Cronhook itself on this machine (the built-in incident loop posts to the node's own intake):
     * loopback addresses only, whatever the network policy says — the policy governs where users' jobs and
     * webhooks go, not Cronhook's loop to itself.
     */
    public PendingSend submitToSelf(URI url, Function<Instant, OutgoingRequest> request) {
        return submit(self, url, Lane.ON_TIME, request);
    }

    /**
     * Sends the request and waits for the complete response: its turn in the destination's queue, then up to
     * the request's timeout.
     *
     * @throws CancellationException if the calling thread is interrupted; nothing is recorded
     *     for an attempt abandoned by our own shutdown (the interrupt flag stays set)
     */
    public AttemptResult send(OutgoingRequest request) {
        Objects.requireNonNull(request, "request");
        return submit(request.url(), sentAt -> request).await();
    }

    /** {@link #send} through {@link #submitToSelf}. */
    public AttemptResult sendToSelf(OutgoingRequest request) {
        Objects.requireNonNull(request, "request");
        return submitToSelf(request.url(), sentAt -> request).await();
    }

    /**
     * {@link #send} without waiting. The future completes normally with a result, within about the
     * request's timeout once its turn came.
     */
    public CompletableFuture<AttemptResult> sendAsync(OutgoingRequest request) {
        Objects.requireNonNull(request, "request");
        return submit(request.url(), sentAt -> request).result();
    }

    /** Requests waiting their turn and under way, over every destination. */
    public Stats stats() {
        DestinationQueues.Stats out = everywhere.queues().stats();
        DestinationQueues.Stats in = self.queues().stats();
        return new Stats(out.waiting() + in.waiting(), out.sending() + in.sending(),
                out.destinations() + in.destinations(), out.openCircuits() + in.openCircuits());
    }

    /**
     * Requests still waiting their turn are withdrawn (their results cancelled); requests under way
     * are waited for (each bounded by its timeout); then the pools are released.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            everywhere.queues().drain().forEach(PendingSend::withdraw);
            self.queues().drain().forEach(PendingSend::withdraw);
            executor.close();
            deadlines.shutdownNow();
            everywhere.exchanges().close();
            self.exchanges().close();
        }
    }

    private PendingSend submit(Route route, URI url, Lane lane, Function<Instant, OutgoingRequest> request) {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(lane, "lane");
        requireOpen();
        PendingSend send = new PendingSend(request, System.nanoTime());
        DestinationQueue queue = route.queues().offer(DestinationQueues.destination(url), send, lane);
        if (queue != null) {
            try {
                executor.execute(() -> work(route, queue));
            } catch (RejectedExecutionException e) {
                // Closed meanwhile: nothing will work this queue again.
                queue.giveBack();
                send.withdraw();
                queue.drain().forEach(PendingSend::withdraw);
                throw new IllegalStateException("HttpSender is closed", e);
            }
        }
        return send;
    }

    /** A worker holds one of the destination's slots: it sends what waits there, one after another, until none. */
    private void work(Route route, DestinationQueue queue) {
        for (PendingSend send = queue.next(System.nanoTime()); send != null; send = queue.next(System.nanoTime())) {
            if (!send.start()) {
                continue; // withdrawn while it waited
            }
            try {
                send.complete(attempt(route, queue, send));
            } catch (RuntimeException | Error e) {
                send.fail(e);
            }
        }
    }

    private AttemptResult attempt(Route route, DestinationQueue queue, PendingSend send) {
        long startNanos = System.nanoTime();
        long queuedMillis = TimeUnit.NANOSECONDS.toMillis(startNanos - send.queuedAtNanos());
        Instant startedAt = clock.instant();
        OutgoingRequest request = send.build(startedAt);
        CircuitBreaker breaker = queue.breaker();
        if (!breaker.tryAcquirePermission()) {
            return failure(Outcome.CONNECTION_ERROR, "not sent: connecting to " + queue.destination()
                    + " timed out again and again; it is tried again " + circuitOpenFor.toSeconds()
                    + " s after the last try", startedAt).queuedFor(queuedMillis);
        }
        AtomicBoolean connected = new AtomicBoolean();
        AttemptResult result = exchange(route.exchanges(), send, request, startedAt, connected, queue.destination());
        long took = System.nanoTime() - startNanos;
        if (connected.get()) {
            breaker.onSuccess(took, TimeUnit.NANOSECONDS);
        } else if (result != null && result.outcome() == Outcome.TIMEOUT) {
            // No connection within the connect timeout or the request's own: the destination may be gone.
            breaker.onError(took, TimeUnit.NANOSECONDS, new ConnectTimedOut());
        } else {
            // Refused, blocked, unknown host: fast failures that say nothing the breaker must act on.
            breaker.releasePermission();
        }
        if (result == null) {
            throw new CancellationException("abandoned while sending");
        }
        return result.queuedFor(queuedMillis);
    }

    /**
     * The exchange, on this worker's own thread, bounded by the request's timeout (a {@link Deadline} cuts it off);
     * null when the send was abandoned.
     */
    private AttemptResult exchange(HttpExchanges exchanges, PendingSend send, OutgoingRequest request,
                                   Instant startedAt, AtomicBoolean connected, String destination) {
        Deadline deadline = new Deadline();
        // The deadline runs on nanoTime, not the injected clock: a test's fixed clock must not
        // make requests wait forever, and wall-clock jumps must not cut them short.
        deadline.arm(deadlines, request.timeout().toNanos());
        send.exchanging(deadline);
        HttpExchanges.Response response = null;
        Exception failure = null;
        try {
            response = exchanges.perform(request, () -> connected.set(true));
        } catch (IOException | RuntimeException e) {
            failure = e;
        }
        boolean cutOff = deadline.finish();
        send.exchanged();
        if (response != null) {
            // Complete, even if the deadline came as it ended.
            return fromResponse(response, startedAt);
        }
        if (cutOff) {
            return send.abandoned() ? null
                    : failure(Outcome.TIMEOUT, TransportErrors.timeoutMessage(request), startedAt);
        }
        if (failure instanceof BlockedAddressException blocked) {
            return failure(Outcome.BLOCKED, blocked.getMessage(), startedAt);
        }
        TransportErrors.Failure classified = TransportErrors.classify(failure, request);
        if (!classified.understood()) {
            // The message may be a bug of ours in disguise; the URL stays out (tokens).
            LOG.log(System.Logger.Level.WARNING, "unexpected failure sending to " + destination + ": " + failure);
        }
        return failure(classified.outcome(), classified.message(), startedAt);
    }

    private void requireOpen() {
        if (closed.get()) {
            throw new IllegalStateException("HttpSender is closed");
        }
    }

    /** What the breaker counts; never thrown, so no stack trace is taken. */
    private static final class ConnectTimedOut extends RuntimeException {
        ConnectTimedOut() {
            super("connect timed out", null, false, false);
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
