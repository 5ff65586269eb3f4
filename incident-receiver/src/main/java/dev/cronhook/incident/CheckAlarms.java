package dev.cronhook.incident;

import dev.cronhook.incident.checks.Check;
import dev.cronhook.incident.checks.CheckRules;
import dev.cronhook.incident.incidents.EventBody;
import dev.cronhook.incident.incidents.ParsedEvent;
import dev.cronhook.incident.integrations.Integration;
import dev.cronhook.incident.integrations.IntegrationRepository;
import dev.cronhook.incident.integrations.StoredIntegration;
import io.helidon.dbclient.DbExecute;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Tells a check's integration what its changes mean, in the transaction that stores them: going (or staying) down is
 * a trigger keyed by the check's id, and a success after down a resolve. The incident engine decides the rest
 * (opening, grouping, alert thresholds, silences) as for any other sender.
 */
final class CheckAlarms {
    private static final System.Logger LOG = System.getLogger(CheckAlarms.class.getName());

    private final IncidentEngine engine;
    private final IntegrationRepository integrations;

    CheckAlarms(IncidentEngine engine, IntegrationRepository integrations) {
        this.engine = engine;
        this.integrations = integrations;
    }

    /** Applies what {@code changes} raise; true when an alert was queued (wake it with {@link #wake} after commit). */
    boolean raise(DbExecute tx, List<CheckRules.Change> changes) {
        Map<String, Optional<Integration>> byId = new HashMap<>();
        List<IncidentEngine.Keyed> events = new ArrayList<>();
        for (CheckRules.Change change : changes) {
            if (change.alarm() == CheckRules.Alarm.NONE) {
                continue;
            }
            String integrationId = change.check().integrationId();
            Optional<Integration> integration = byId.computeIfAbsent(integrationId == null ? "" : integrationId,
                    id -> (id.isEmpty() ? integrations.findBuiltIn(tx) : integrations.find(tx, id))
                            .map(StoredIntegration::integration));
            if (integration.isEmpty()) {
                LOG.log(Level.WARNING, "check " + change.check().id() + " has no integration to alert: "
                        + change.note());
                continue;
            }
            ParsedEvent event = switch (change.alarm()) {
                case TRIGGER -> new ParsedEvent.Trigger(change.check().id(), change.check().name() + " is down",
                        new EventBody(change.note(), false), null, null);
                case RESOLVE -> new ParsedEvent.Resolve(change.check().id(), change.check().name() + ": "
                        + change.note());
                case NONE -> throw new IllegalStateException();
            };
            IncidentEngine.keyed(integration.get(), event).ifPresent(events::add);
        }
        return engine.applyWithin(tx, events);
    }

    /** Resolves the open incident of {@code check}, if it has one, in its integration; true when an alert was queued. */
    boolean resolve(DbExecute tx, Check check, String note) {
        return raise(tx, List.of(new CheckRules.Change(check, null, CheckRules.Alarm.RESOLVE, note, null)));
    }

    void wake() {
        engine.wakeAlerts();
    }
}
