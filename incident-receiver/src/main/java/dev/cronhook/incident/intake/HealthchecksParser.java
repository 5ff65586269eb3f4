package dev.cronhook.incident.intake;

import dev.cronhook.common.DomainException;
import dev.cronhook.incident.incidents.EventBody;
import dev.cronhook.incident.incidents.ParsedEvent;
import java.util.Locale;

/**
 * Healthchecks.io webhooks with {@code $JSON} (the check object) as the body and {@code Check-Status: $STATUS} as a
 * header; without the header the body's {@code status} decides. The key is the check's {@code uuid}, else
 * {@code check_id}, else its {@code name}.
 */
final class HealthchecksParser implements OneEventParser {

    @Override
    public ParsedEvent parse(IncomingEvent event) {
        String header = event.header("Check-Status");
        String status = header != null && !header.isBlank() ? header.strip() : event.text("status");
        if (status == null) {
            throw DomainException.Invalid.of("status", "is required (a Check-Status header or a status field)");
        }
        String key = Payloads.firstNonNull(event.text("uuid"), event.text("check_id"), event.text("name"));
        if (key == null) {
            throw DomainException.Invalid.of("uuid", "is required (or check_id, or name)");
        }
        String name = Payloads.firstNonNull(event.text("name"), key);
        return switch (status.toLowerCase(Locale.ROOT)) {
            case "down" -> new ParsedEvent.Trigger(key, "Check \"" + name + "\" is down",
                    EventBody.of(Payloads.pick(event.body(), "desc", "tags", "last_ping", "next_ping", "schedule",
                            "tz", "timeout", "grace", "n_pings")), null, null);
            case "up" -> new ParsedEvent.Resolve(key, "check is up");
            default -> new ParsedEvent.Ignore("check status " + status + " is neither up nor down");
        };
    }
}
