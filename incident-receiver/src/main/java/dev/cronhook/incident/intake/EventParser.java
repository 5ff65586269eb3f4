package dev.cronhook.incident.intake;

import dev.cronhook.common.DomainException;
import dev.cronhook.incident.incidents.ParsedEvent;
import dev.cronhook.incident.integrations.IntegrationType;
/**
 * Reads one integration type's payloads. A pure function of the event: no clock, no database. A shape it cannot
 * read throws {@link DomainException.Invalid} naming the missing field; unknown extra fields are ignored.
 */
public interface EventParser {

    ParsedEvent parse(IncomingEvent event);

    static EventParser of(IntegrationType type) {
        return switch (type) {
            case GENERIC -> new GenericParser();
            case CRONHOOK -> new CronhookParser();
            case CRONICLE -> new CronicleParser();
            case HEALTHCHECKS -> new HealthchecksParser();
            case CRONTOGO -> new CronToGoParser();
            case PAGERDUTY -> new PagerDutyParser();
        };
    }
}
