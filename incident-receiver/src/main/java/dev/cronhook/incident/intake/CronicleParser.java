package dev.cronhook.incident.intake;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cronhook.common.DomainException;
import dev.cronhook.incident.incidents.EventBody;
import dev.cronhook.incident.incidents.ParsedEvent;

/**
 * Cronicle web hooks: the whole job object. The key is {@code event}, the schedule's id, never the per-run
 * {@code id}, so every run of one event groups into its open incident.
 */
final class CronicleParser implements OneEventParser {

    @Override
    public ParsedEvent parse(IncomingEvent event) {
        String action = event.required("action");
        return switch (action) {
            case "job_start" -> new ParsedEvent.Ignore("job_start is not an incident event");
            case "job_complete" -> complete(event);
            case "job_failure" -> trigger(event, "failed");
            case "job_launch_failure" -> trigger(event, "could not be launched");
            default -> new ParsedEvent.Ignore("unknown action " + action);
        };
    }

    private static ParsedEvent complete(IncomingEvent event) {
        String key = event.required("event");
        JsonNode code = event.at("code");
        if (Payloads.text(code) == null) {
            throw DomainException.Invalid.of("code", "is required");
        }
        if (isZero(code)) {
            return new ParsedEvent.Resolve(key, "job completed successfully" + run(event));
        }
        if (!Payloads.truthy(event.at("complete"))) {
            return new ParsedEvent.Ignore("the job is not complete");
        }
        return trigger(event, "failed");
    }

    private static ParsedEvent trigger(IncomingEvent event, String what) {
        String key = event.required("event");
        String name = Payloads.firstNonNull(event.text("event_title"), key);
        String code = event.text("code");
        String title = "Cronicle event \"" + name + "\" " + what + (code == null ? "" : " (code " + code + ")");
        EventBody body = EventBody.of(Payloads.pick(event.body(), "description", "code", "id", "hostname",
                "nice_target", "plugin_title", "category_title", "elapsed", "job_details_url", "edit_event_url",
                "text"));
        return new ParsedEvent.Trigger(key, title, body, null, null);
    }

    private static boolean isZero(JsonNode code) {
        return code.isNumber() ? code.asDouble() == 0 : "0".equals(Payloads.text(code));
    }

    private static String run(IncomingEvent event) {
        String id = event.text("id");
        return id == null ? "" : " (job " + id + ")";
    }
}
