package dev.cronhook.incident.intake;

import dev.cronhook.common.DomainException;
import dev.cronhook.incident.incidents.EventBody;
import dev.cronhook.incident.incidents.ParsedEvent;
import dev.cronhook.incident.incidents.Severity;
import java.util.Locale;

/**
 * PagerDuty Events API v2: {@code event_action} trigger, acknowledge or resolve, {@code dedup_key}, and
 * {@code payload.summary} / {@code payload.severity}. A trigger without a dedup key opens its own incident, as
 * PagerDuty does. The {@code routing_key} is never kept.
 */
final class PagerDutyParser implements OneEventParser {

    @Override
    public ParsedEvent parse(IncomingEvent event) {
        String action = event.required("event_action").toLowerCase(Locale.ROOT);
        return switch (action) {
            case "trigger" -> new ParsedEvent.Trigger(event.text("dedup_key"), event.required("payload.summary"),
                    EventBody.of(Payloads.pick(event.at("payload"), "source", "component", "group", "class",
                            "timestamp", "custom_details")), severity(event), null);
            case "acknowledge" -> new ParsedEvent.Acknowledge(event.required("dedup_key"), "acknowledged by an event");
            case "resolve" -> new ParsedEvent.Resolve(event.required("dedup_key"), "resolved by an event");
            default -> throw DomainException.Invalid.of("event_action", "must be trigger, acknowledge or resolve");
        };
    }

    private static Severity severity(IncomingEvent event) {
        String text = event.text("payload.severity");
        if (text == null) {
            return null;
        }
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "critical" -> Severity.SEV1;
            case "error" -> Severity.SEV2;
            case "warning", "info" -> Severity.SEV3;
            default -> throw DomainException.Invalid.of("payload.severity",
                    "must be critical, error, warning or info");
        };
    }
}
