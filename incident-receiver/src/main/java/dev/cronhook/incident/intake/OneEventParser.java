package dev.cronhook.incident.intake;

import dev.cronhook.incident.incidents.ParsedEvent;
import java.util.List;

/** A type whose every request is exactly one event. */
interface OneEventParser extends EventParser {

    ParsedEvent parse(IncomingEvent event);

    @Override
    default List<ParsedEvent> events(IncomingEvent event) {
        return List.of(parse(event));
    }
}
