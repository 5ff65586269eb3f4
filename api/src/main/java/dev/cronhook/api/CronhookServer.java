package dev.cronhook.api;

import dev.cronhook.api.codec.Json;
import dev.cronhook.api.http.ApiKeysEndpoint;
import dev.cronhook.api.http.AuthFilter;
import dev.cronhook.api.http.CallbacksEndpoint;
import dev.cronhook.api.http.ChannelsEndpoint;
import dev.cronhook.api.http.ChecksEndpoint;
import dev.cronhook.api.http.CronEndpoint;
import dev.cronhook.api.http.SilencesEndpoint;
import dev.cronhook.api.http.TimedRoutes;
import dev.cronhook.api.http.ErrorMapper;
import dev.cronhook.api.http.ExecutionsEndpoint;
import dev.cronhook.api.http.HooksEndpoint;
import dev.cronhook.api.http.IncidentsEndpoint;
import dev.cronhook.api.http.IntegrationsEndpoint;
import dev.cronhook.api.http.JobsEndpoint;
import dev.cronhook.api.http.MeEndpoint;
import dev.cronhook.api.http.NodesEndpoint;
import dev.cronhook.api.http.ObserveEndpoint;
import dev.cronhook.api.http.PingEndpoint;
import dev.cronhook.api.http.Problem;
import dev.cronhook.api.http.ProblemDirectHandler;
import dev.cronhook.api.http.Replies;
import dev.cronhook.api.http.RequestBodies;
import dev.cronhook.api.http.WebhooksEndpoint;
import dev.cronhook.api.keys.ApiKeyStore;
import dev.cronhook.api.keys.ApiSchema;
import dev.cronhook.api.web.SecurityHeaders;
import dev.cronhook.api.web.WebAssets;
import dev.cronhook.api.web.WebPages;
import dev.cronhook.delivery.cluster.NodeHeartbeat;
import dev.cronhook.delivery.http.HttpSender;
import dev.cronhook.delivery.net.NetworkPolicy;
import dev.cronhook.delivery.outbox.DeliveryModule;
import dev.cronhook.delivery.outbox.DeliverySettings;
import dev.cronhook.delivery.signing.WebhookSecret;
import dev.cronhook.incident.ReceiverModule;
import dev.cronhook.incident.ReceiverSettings;
import dev.cronhook.incident.integrations.BuiltInIntegration;
import dev.cronhook.scheduler.SchedulerModule;
import dev.cronhook.scheduler.runs.Retention;
import dev.cronhook.scheduler.runs.RetryPolicy;
import dev.cronhook.scheduler.runs.SchedulerSettings;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.HttpRouting;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** The one place where everything is built with plain constructors and wired together. */
public final class CronhookServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(CronhookServer.class.getName());
    /** Within a few seconds a node finds deliveries another node wrote and cannot send (a dead or saturated node). */
    private static final Duration CLUSTER_DELIVERY_POLL = Duration.ofSeconds(5);
    private static final Duration SINGLE_NODE_DELIVERY_POLL = Duration.ofMinutes(1);

    private final Database database;
    private final NodeHeartbeat heartbeat;
    private final HttpSender sender;
    private final DeliveryModule deliveries;
    private final SchedulerModule scheduler;
    private final ReceiverModule receiver;
    private final WebServer server;
    private final Duration shutdownGrace;
    private final ServerMetrics metrics;
    private final List<TimedRoutes.Route> routes;

    private CronhookServer(Database database, NodeHeartbeat heartbeat, HttpSender sender, DeliveryModule deliveries,
                           SchedulerModule scheduler, ReceiverModule receiver, WebServer server,
                           Duration shutdownGrace, ServerMetrics metrics, List<TimedRoutes.Route> routes) {
        this.routes = routes;
        this.metrics = metrics;
        this.database = database;
        this.heartbeat = heartbeat;
        this.sender = sender;
        this.deliveries = deliveries;
        this.scheduler = scheduler;
        this.receiver = receiver;
        this.server = server;
        this.shutdownGrace = shutdownGrace;
    }

    /**
     * Opens the database, migrates it, starts the delivery worker, the scheduler, the incident receiver and the HTTP
     * server, and closes the loop between scheduler and receiver with the built-in subscription.
     */
    public static CronhookServer start(Settings settings, Clock clock, PrintStream console) {
        ServerMetrics metrics = new ServerMetrics();
        Database database = Database.open(settings, metrics.registry());
        try {
            ApiSchema.migrate(database.dataSource());
            SchedulerSettings schedulerSettings = SchedulerSettings.defaults(database.postgres())
                    .withSchedulerName(settings.schedulerName())
                    .withClustered(settings.clustered().orElse(database.postgres()))
                    .withTickInterval(settings.tickInterval())
                    .withLookahead(settings.lookahead())
                    // Runs due less than two ticks before this node started (or the database came back) are on time.
                    .withCatchUpAfter(settings.tickInterval().multipliedBy(2))
                    .withRetention(settings.executionRetention())
                    .withShutdownGrace(settings.shutdownGrace())
                    .withRetries(new RetryPolicy(settings.retryDelays()))
                    .withPublicUrl(settings.publicUrl().orElse(null));
            NetworkPolicy policy = settings.networkPolicy();
            HttpSender sender = new HttpSender(clock, schedulerSettings.userAgent(), HttpSender.Config.defaults()
                    .withNetworkPolicy(policy).withConnectionsPerDestination(settings.connectionsPerDestination())
                    .withConnectTimeout(settings.connectTimeout()));
            NodeHeartbeat heartbeat = new NodeHeartbeat(database.heartbeatClient(), clock,
                    hostName() + ":" + settings.port(),
                    NodeHeartbeat.Settings.defaults(schedulerSettings.clustered()).withTimeout(settings.nodeTimeout()));
            // Other nodes' deliveries are found only by the poll; a single node writes every delivery itself and
            // wakes its worker, so there the poll only backs that up (and on H2 it reads the whole claim index).
            DeliveryModule deliveries = DeliveryModule.create(database.dataSource(), database.client(), sender, clock,
                    DeliverySettings.defaults().withRetryDelays(settings.webhookRetryDelays())
                            .withPollInterval(schedulerSettings.clustered() ? CLUSTER_DELIVERY_POLL
                                    : SINGLE_NODE_DELIVERY_POLL), heartbeat);
            heartbeat.start();
            SchedulerModule scheduler = SchedulerModule.start(database.dataSource(), database.client(), sender,
                    Json.MAPPER, clock, schedulerSettings, deliveries, url -> policy.refusalForUrl(url.toString()),
                    heartbeat, metrics.registry());
            ReceiverModule receiver = ReceiverModule.start(database.dataSource(), database.client(), deliveries,
                    Json.MAPPER, clock, ReceiverSettings.defaults().withPublicUrl(settings.publicUrl().orElse(null))
                            .withAckSweepInterval(settings.ackSweepInterval())
                            .withCheckInterval(settings.checkInterval()).withUrlRefusal(policy::refusalForUrl));
            scheduler.retainAlso(new Retention("deliveries", settings.deliveryRetention(),
                    deliveries::deleteFinishedCreatedBefore));
            scheduler.retainAlso(new Retention("resolved incidents", settings.incidentRetention(),
                    receiver.incidents()::deleteResolvedBefore));
            scheduler.retainAlso(new Retention("check pings and flips", settings.pingRetention(),
                    receiver.checks()::deleteHistoryBefore));
            deliveries.start();
            registerGauges(metrics, deliveries, sender, receiver);

            ApiKeyStore keys = new ApiKeyStore(database.client(), clock, settings.adminKey().orElse(null));
            keys.bootstrap().ifPresent(created -> console.println(
                    "Cronhook admin API key (shown once, store it now): " + created.key()));

            RequestBodies bodies = new RequestBodies(settings.maxRequestBody());
            Map<String, BooleanSupplier> checks = new LinkedHashMap<>();
            checks.put("database", database::reachable);
            checks.put("scheduler", scheduler::running);
            // Every route, under its prefix; each is timed by its template.
            Map<String, HttpService> services = new LinkedHashMap<>();
            services.put("/v1/jobs", new JobsEndpoint(scheduler.jobs(), scheduler.executions(), bodies, clock));
            services.put("/v1/executions", new ExecutionsEndpoint(scheduler.executions()));
            services.put("/v1/webhooks", new WebhooksEndpoint(scheduler.webhooks(), bodies));
            services.put("/v1/api-keys", new ApiKeysEndpoint(keys, bodies));
            services.put("/v1/me", new MeEndpoint());
            services.put("/v1/cron", new CronEndpoint(scheduler.jobs(), bodies));
            services.put("/v1/nodes", new NodesEndpoint(heartbeat, scheduler::runsInHand));
            services.put("/v1/integrations", new IntegrationsEndpoint(receiver.integrations(), bodies,
                    receiver.settings().publicUrl()));
            services.put("/v1/incidents", new IncidentsEndpoint(receiver.incidents(), receiver.incidentJson()));
            services.put("/v1/channels", new ChannelsEndpoint(receiver.channels(), bodies));
            services.put("/v1/silences", new SilencesEndpoint(receiver.silences(), bodies, clock));
            services.put("/v1/checks", new ChecksEndpoint(receiver.checks(), bodies, clock,
                    receiver.settings().publicUrl()));
            services.put("/hooks", new HooksEndpoint(receiver.intake()));
            services.put("/ping", new PingEndpoint(receiver.checks()));
            services.put("/callbacks", new CallbacksEndpoint(scheduler.callbacks()));
            services.put("/observe", new ObserveEndpoint(checks, metrics::scrape));
            services.put("", new WebPages());
            TimedRoutes timed = new TimedRoutes(metrics.registry());
            HttpRouting.Builder routing = HttpRouting.builder().addFilter(new SecurityHeaders())
                    .addFilter(new AuthFilter(keys));
            services.forEach((prefix, service) -> {
                if (prefix.isEmpty()) {
                    routing.register(timed.service(prefix, service));
                } else {
                    routing.register(prefix, timed.service(prefix, service));
                }
            });
            WebAssets.register(routing);
            routing.any(timed.handler("NOT_FOUND", (req, res) -> Replies.problem(res, Problem.of(404, "not-found",
                    "Not found", "no route " + req.prologue().method().text() + " " + req.path().path()))));
            ErrorMapper.register(routing);

            WebServer server = WebServer.builder()
                    .host(settings.host())
                    .port(settings.port())
                    .shutdownHook(false)
                    .directHandlers(ProblemDirectHandler.forEveryEvent())
                    .routing(routing)
                    .build()
                    .start();
            LOG.log(Level.INFO, "Cronhook listening on port " + server.port() + " with "
                    + (database.postgres() ? "PostgreSQL" : "embedded H2 in " + settings.dataDir()));
            closeTheLoop(settings, server.port(), scheduler, receiver);
            return new CronhookServer(database, heartbeat, sender, deliveries, scheduler, receiver, server,
                    settings.shutdownGrace(), metrics, timed.routes());
        } catch (RuntimeException e) {
            database.close();
            metrics.close();
            throw e;
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }

    private static void registerGauges(ServerMetrics metrics, DeliveryModule deliveries, HttpSender sender,
                                       ReceiverModule receiver) {
        metrics.gauge("cronhook.deliveries.pending", "Notification deliveries not yet delivered or given up.",
                deliveries::pending);
        metrics.gauge("cronhook.http.requests.waiting", "Outgoing requests (job attempts, deliveries) waiting in their "
                + "destination's queue for a free connection.", () -> sender.stats().waiting());
        metrics.gauge("cronhook.http.requests.sending", "Outgoing requests under way.", () -> sender.stats().sending());
        metrics.gauge("cronhook.http.open.circuits", "Destinations whose connects timed out again and again: their "
                + "requests fail at once for a while.", () -> sender.stats().openCircuits());
        metrics.gauge("cronhook.incidents.open", "Incidents triggered or acknowledged.", receiver::openIncidents);
    }

    /**
     * Every job outcome reaches the built-in {@code cronhook} integration as a signed notification webhook to this
     * node's own intake, like any subscriber's: the scheduler and the receiver share nothing else.
     */
    private static void closeTheLoop(Settings settings, int port, SchedulerModule scheduler, ReceiverModule receiver) {
        BuiltInIntegration integration = receiver.ensureBuiltIn(WebhookSecret.generate().value());
        String host = switch (settings.host()) {
            case "", "0.0.0.0", "::", "[::]" -> "127.0.0.1";
            default -> settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
        };
        scheduler.webhooks().ensureBuiltIn(URI.create("http://" + host + ":" + port + "/hooks/" + integration.token()),
                integration.signingSecret());
    }

    public int port() {
        return server.port();
    }

    /** Every route the server answers, by method and path template (the API description must list the /v1 ones). */
    public List<TimedRoutes.Route> routes() {
        return routes;
    }

    /**
     * Graceful stop within one deadline, the shutdown grace: no new requests; claimed runs not yet sent are handed
     * back at once; runs and notification deliveries under way get the grace (together, not one after the other),
     * then are cut off and handed on, so another node, or the next start, sends them within seconds; then the
     * database is closed.
     */
    @Override
    public void close() {
        long started = System.nanoTime();
        server.stop();
        Thread deliveriesStop = Thread.ofPlatform().name("cronhook-stop-deliveries")
                .start(() -> deliveries.close(shutdownGrace));
        scheduler.close();
        receiver.close();
        try {
            deliveriesStop.join(shutdownGrace.plusSeconds(2).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            heartbeat.handOnOwnWork();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not hand on unfinished work; its leases hand it on: " + e.getMessage());
        }
        sender.close();
        heartbeat.close();
        database.close();
        metrics.close();
        LOG.log(Level.INFO, "Cronhook stopped in " + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");
    }
}
