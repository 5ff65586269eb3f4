package dev.cronhook.incident.intake;

import dev.cronhook.common.DomainException;
import dev.cronhook.incident.incidents.ParsedEvent;
import dev.cronhook.incident.integrations.IntegrationType;
import java.util.List;

/**
 * Reads one integration type's payloads. A pure function of the request: no clock, no database. A shape it cannot
 * read throws {@link DomainException.Invalid} naming the missing field; unknown extra fields are ignored.
 */
public interface EventParser {

    /** The events one request carries, in order: one for most types; an Alertmanager notification, one per alert. */
    List<ParsedEvent> events(IncomingEvent event);

    static EventParser of(IntegrationType type) {
        return switch (type) {
            case GENERIC -> new GenericParser();
            case CRONHOOK -> new CronhookParser();
            case CRONICLE -> new CronicleParser();
            case HEALTHCHECKS -> new HealthchecksParser();
            case CRONTOGO -> new CronToGoParser();
            case PAGERDUTY -> new PagerDutyParser();
            case ALERTMANAGER -> new AlertmanagerParser();
        };
    }
}
