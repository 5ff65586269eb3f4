package dev.cronhook.incident;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cronhook.common.PrefixedIds;
import dev.cronhook.common.db.Migrations;
import dev.cronhook.delivery.outbox.DeliveryModule;
import dev.cronhook.delivery.signing.WebhookSecret;
import dev.cronhook.incident.channels.AlertOutbox;
import dev.cronhook.incident.channels.AlertPublisher;
import dev.cronhook.incident.channels.ChannelDirectory;
import dev.cronhook.incident.channels.ChannelRepository;
import dev.cronhook.incident.channels.ChannelService;
import dev.cronhook.incident.channels.IncidentJson;
import dev.cronhook.incident.checks.CheckRepository;
import dev.cronhook.incident.incidents.IncidentRepository;
import dev.cronhook.incident.incidents.SilenceRepository;
import dev.cronhook.incident.intake.IntakeSignatures;
import dev.cronhook.incident.integrations.BuiltInIntegration;
import dev.cronhook.incident.integrations.IntegrationRepository;
import dev.cronhook.incident.integrations.IntegrationService;
import io.helidon.dbclient.DbClient;
import java.time.Clock;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * Builds and owns the incident receiver: migrations, repositories, intake, rules, incidents, alert channels,
 * silences, the incident sweeper (acknowledgement timeouts, reminders, ended silences), and heartbeat checks with their
 * evaluator. Alerts go through webhook
 * delivery's outbox; the module registers the directory of {@code ch_…} endpoints with it.
 */
public final class ReceiverModule implements AutoCloseable {
    private final IntegrationService integrations;
    private final IntakeService intake;
    private final Openings openings;
    private final IncidentService incidents;
    private final ChannelService channels;
    private final IncidentSweeper sweeper;
    private final SilenceService silences;
    private final CheckService checks;
    private final CheckEvaluator evaluator;
    private final ChannelDirectory directory;
    private final IncidentJson incidentJson;
    private final ReceiverSettings settings;

    private ReceiverModule(IntegrationService integrations, IntakeService intake, Openings openings,
                           IncidentService incidents, ChannelService channels, IncidentSweeper sweeper,
                           SilenceService silences, CheckService checks, CheckEvaluator evaluator,
                           ChannelDirectory directory, IncidentJson incidentJson, ReceiverSettings settings) {
        this.integrations = integrations;
        this.intake = intake;
        this.openings = openings;
        this.incidents = incidents;
        this.channels = channels;
        this.sweeper = sweeper;
        this.silences = silences;
        this.checks = checks;
        this.evaluator = evaluator;
        this.directory = directory;
        this.incidentJson = incidentJson;
        this.settings = settings;
    }

    /**
     * Migrates {@code db/receiver}, registers the {@code ch} endpoint directory with {@code delivery} and starts the
     * incident sweeper. {@code json} is the application's mapper.
     */
    public static ReceiverModule start(DataSource dataSource, DbClient db, DeliveryModule delivery, ObjectMapper json,
                                       Clock clock, ReceiverSettings settings) {
        ReceiverModule module = assemble(dataSource, db, AlertOutbox.of(delivery), delivery::forget, json, clock,
                settings);
        delivery.register("ch", module.directory);
        module.sweeper.start(settings.ackSweepInterval());
        module.evaluator.start(settings.checkInterval());
        return module;
    }

    /** The module without a timer or a delivery module: tests drive the sweeper and watch the outbox themselves. */
    static ReceiverModule assemble(DataSource dataSource, DbClient db, AlertOutbox outbox,
                                   Consumer<String> forgetDeliveries, ObjectMapper json, Clock clock,
                                   ReceiverSettings settings) {
        Migrations.apply(dataSource, "db/receiver", "receiver_schema_history");
        PrefixedIds ids = new PrefixedIds(clock);
        IntegrationRepository integrationRepository = new IntegrationRepository(db);
        IncidentRepository incidentRepository = new IncidentRepository(db);
        ChannelRepository channelRepository = new ChannelRepository(db);
        IncidentJson incidentJson = new IncidentJson(json);
        AlertPublisher alerts = new AlertPublisher(channelRepository, outbox, incidentJson, ids, clock);
        SilenceRepository silenceRepository = new SilenceRepository(db);
        IncidentEngine engine = new IncidentEngine(db, incidentRepository, integrationRepository,
                new AlertGate(incidentRepository, silenceRepository, alerts), silenceRepository, ids, clock);
        Openings openings = new Openings(engine::applyAll);
        CheckRepository checkRepository = new CheckRepository(db);
        CheckAlarms alarms = new CheckAlarms(engine, integrationRepository);
        return new ReceiverModule(
                new IntegrationService(integrationRepository, ids, clock),
                new IntakeService(integrationRepository, new IntakeSignatures(clock), engine, openings, json),
                openings,
                new IncidentService(db, incidentRepository, engine),
                new ChannelService(channelRepository, integrationRepository, ids, clock, forgetDeliveries,
                        settings.urlRefusal()),
                new IncidentSweeper(incidentRepository, silenceRepository, engine, clock),
                new SilenceService(silenceRepository, integrationRepository, engine, ids, clock),
                new CheckService(db, checkRepository, integrationRepository, alarms, ids, clock),
                new CheckEvaluator(db, checkRepository, alarms, clock),
                new ChannelDirectory(channelRepository, clock),
                incidentJson,
                settings);
    }

    public IntegrationService integrations() {
        return integrations;
    }

    public IntakeService intake() {
        return intake;
    }

    public IncidentService incidents() {
        return incidents;
    }

    public ChannelService channels() {
        return channels;
    }

    public SilenceService silences() {
        return silences;
    }

    public CheckService checks() {
        return checks;
    }

    public CheckEvaluator evaluator() {
        return evaluator;
    }

    public IncidentSweeper sweeper() {
        return sweeper;
    }

    /** The JSON form of incidents that alert webhooks carry; API replies use the same. */
    public IncidentJson incidentJson() {
        return incidentJson;
    }

    public ReceiverSettings settings() {
        return settings;
    }

    /**
     * Creates the built-in {@code cronhook} integration, or finds the one that exists (made earlier, or by another
     * node starting at the same moment), and returns its id, intake token and signing secret. The secret is
     * {@code signingSecret} only when this call created the integration; otherwise the stored one is returned.
     *
     * @param signingSecret a {@code whsec_…} secret
     */
    public BuiltInIntegration ensureBuiltIn(String signingSecret) {
        return integrations.ensureBuiltIn(new WebhookSecret(signingSecret));
    }

    /** Triggered plus acknowledged incidents, for the metrics gauge. */
    public long openIncidents() {
        return incidents.open();
    }

    /** Stops the sweeper, and the openings once those queued are written. Alerts already queued stay in the outbox. */
    @Override
    public void close() {
        evaluator.close();
        sweeper.close();
        openings.close();
    }
}
