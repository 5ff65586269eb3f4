package dev.cronhook.incident.intake;

import dev.cronhook.common.DomainException;
import dev.cronhook.incident.incidents.EventBody;
import dev.cronhook.incident.incidents.ParsedEvent;
import dev.cronhook.incident.incidents.Severity;
import java.util.Locale;
import java.util.Set;

/**
 * Spike-style push events: {@code title}, {@code body} (a string or any JSON), {@code severity} {@code sev1}–{@code
 * sev3}, {@code priority} {@code p1}–{@code p5}; {@code status: "resolve"} resolves the incident with the same title.
 * The title is the key: an event without one always opens a new incident and can never be resolved by an event.
 */
final class GenericParser implements OneEventParser {
    private static final Set<String> PRIORITIES = Set.of("p1", "p2", "p3", "p4", "p5");
    private static final int DERIVED_TITLE_LENGTH = 200;

    @Override
    public ParsedEvent parse(IncomingEvent event) {
        String title = event.text("title");
        String status = event.text("status");
        if (status != null && status.equalsIgnoreCase("resolve")) {
            return title == null
                    ? new ParsedEvent.Ignore("a resolve without a title matches no incident")
                    : new ParsedEvent.Resolve(title, "resolved by a push event");
        }
        EventBody body = EventBody.of(event.at("body"));
        if (title == null && body == null) {
            throw DomainException.Invalid.of("title", "is required (or a body)");
        }
        String shownTitle = title != null ? title
                : Payloads.firstLine(body.text(), DERIVED_TITLE_LENGTH);
        return new ParsedEvent.Trigger(title, shownTitle, body, severity(event), priority(event));
    }

    private static Severity severity(IncomingEvent event) {
        String text = event.text("severity");
        if (text == null) {
            return null;
        }
        Severity severity = Severity.fromWire(text.toLowerCase(Locale.ROOT));
        if (severity == null) {
            throw DomainException.Invalid.of("severity", "must be sev1, sev2 or sev3");
        }
        return severity;
    }

    private static String priority(IncomingEvent event) {
        String text = event.text("priority");
        if (text == null) {
            return null;
        }
        String priority = text.toLowerCase(Locale.ROOT);
        if (!PRIORITIES.contains(priority)) {
            throw DomainException.Invalid.of("priority", "must be p1, p2, p3, p4 or p5");
        }
        return priority;
    }
}
