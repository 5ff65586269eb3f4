package dev.cronhook.api;

import dev.cronhook.api.http.ApiKeysEndpoint;
import dev.cronhook.api.http.AuthFilter;
import dev.cronhook.api.http.ChannelsEndpoint;
import dev.cronhook.api.http.ErrorMapper;
import dev.cronhook.api.http.ExecutionsEndpoint;
import dev.cronhook.api.http.HooksEndpoint;
import dev.cronhook.api.http.IncidentsEndpoint;
import dev.cronhook.api.http.IntegrationsEndpoint;
import dev.cronhook.api.http.JobsEndpoint;
import dev.cronhook.api.http.Json;
import dev.cronhook.api.http.ObserveEndpoint;
import dev.cronhook.api.http.Problem;
import dev.cronhook.api.http.Replies;
import dev.cronhook.api.http.RequestBodies;
import dev.cronhook.api.keys.ApiKeyStore;
import dev.cronhook.api.keys.ApiSchema;
import dev.cronhook.delivery.HttpSender;
import dev.cronhook.delivery.outbox.DeliveryModule;
import dev.cronhook.delivery.outbox.DeliverySettings;
import dev.cronhook.incident.ReceiverModule;
import dev.cronhook.incident.ReceiverSettings;
import dev.cronhook.scheduler.SchedulerModule;
import dev.cronhook.scheduler.SchedulerSettings;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** The one place where everything is built with plain constructors and wired together. */
public final class CronhookServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(CronhookServer.class.getName());

    private final Database database;
    private final HttpSender sender;
    private final SchedulerModule scheduler;
    private final WebServer server;
    private final DeliveryModule delivery;
    private final ReceiverModule receiver;

    private CronhookServer(Database database, HttpSender sender, SchedulerModule scheduler, WebServer server,
                           DeliveryModule delivery, ReceiverModule receiver) {
        this.database = database;
        this.sender = sender;
        this.scheduler = scheduler;
        this.server = server;
        this.delivery = delivery;
        this.receiver = receiver;
    }

    /** Opens the database, migrates it, starts the scheduler and the HTTP server. */
    public static CronhookServer start(Settings settings, Clock clock, PrintStream console) {
        Database database = Database.open(settings);
        try {
            ApiSchema.migrate(database.dataSource());
            SchedulerSettings schedulerSettings = new SchedulerSettings(
                    settings.schedulerName(),
                    settings.clustered().orElse(database.postgres()),
                    database.postgres(),
                    settings.tickInterval(),
                    settings.lookahead(),
                    500,
                    // A run claimed later than two ticks after its time was missed by every tick: no node was up.
                    settings.tickInterval().multipliedBy(2),
                    java.time.Duration.ofSeconds(60),
                    settings.executionRetention(),
                    settings.shutdownGrace(),
                    "Cronhook/" + SchedulerSettings.version());
            HttpSender sender = new HttpSender(clock, schedulerSettings.userAgent());
            SchedulerModule scheduler = SchedulerModule.start(database.dataSource(), database.client(), sender,
                    Json.MAPPER, clock, schedulerSettings);
            DeliveryModule delivery = DeliveryModule.create(database.dataSource(), database.client(), sender, clock,
                    DeliverySettings.defaults());
            ReceiverModule receiver = ReceiverModule.start(database.dataSource(), database.client(), delivery,
                    Json.MAPPER, clock, ReceiverSettings.defaults());
            delivery.start();

            ApiKeyStore keys = new ApiKeyStore(database.client(), clock, settings.adminKey().orElse(null));
            keys.bootstrap().ifPresent(created -> console.println(
                    "Cronhook admin API key (shown once, store it now): " + created.key()));

            RequestBodies bodies = new RequestBodies(settings.maxRequestBody());
            Map<String, BooleanSupplier> checks = new LinkedHashMap<>();
            checks.put("database", database::reachable);
            checks.put("scheduler", scheduler::running);
            HttpRouting.Builder routing = HttpRouting.builder()
                    .addFilter(new AuthFilter(keys))
                    .register("/v1/jobs", new JobsEndpoint(scheduler.jobs(), bodies))
                    .register("/v1/executions", new ExecutionsEndpoint(scheduler.jobs()))
                    .register("/v1/api-keys", new ApiKeysEndpoint(keys, bodies))
                    .register("/v1/integrations", new IntegrationsEndpoint(receiver.integrations(), bodies,
                            receiver.settings().publicUrl()))
                    .register("/v1/incidents", new IncidentsEndpoint(receiver.incidents(), receiver.incidentJson()))
                    .register("/v1/channels", new ChannelsEndpoint(receiver.channels(), bodies))
                    .register("/hooks", new HooksEndpoint(receiver.intake()))
                    .register("/observe", new ObserveEndpoint(checks, scheduler.metrics()::writePrometheus))
                    .any((req, res) -> Replies.problem(res, Problem.of(404, "not-found", "Not found",
                            "no route " + req.prologue().method().text() + " " + req.path().path())));
            ErrorMapper.register(routing);

            WebServer server = WebServer.builder()
                    .host(settings.host())
                    .port(settings.port())
                    .shutdownHook(false)
                    .routing(routing)
                    .build()
                    .start();
            LOG.log(Level.INFO, "Cronhook listening on port " + server.port() + " with "
                    + (database.postgres() ? "PostgreSQL" : "embedded H2 in " + settings.dataDir()));
            return new CronhookServer(database, sender, scheduler, server, delivery, receiver);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    public int port() {
        return server.port();
    }

    /** Graceful stop: no new requests, scheduler handed over or finished, then the database closed. */
    @Override
    public void close() {
        server.stop();
        scheduler.close();
        receiver.close();
        delivery.close();
        sender.close();
        database.close();
        LOG.log(Level.INFO, "Cronhook stopped");
    }
}
