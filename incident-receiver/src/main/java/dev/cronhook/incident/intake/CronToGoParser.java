package dev.cronhook.incident.intake;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cronhook.incident.incidents.EventBody;
import dev.cronhook.incident.incidents.ParsedEvent;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/** Cron To Go webhook notifications: {@code Topic}, and {@code Data} with the job id and epoch-millisecond times. */
final class CronToGoParser implements OneEventParser {

    @Override
    public ParsedEvent parse(IncomingEvent event) {
        String topic = event.required("Topic");
        return switch (topic) {
            case "job.execution.failed" -> failed(event);
            case "job.execution.succeeded" -> new ParsedEvent.Resolve(event.required("Data.JobId"),
                    "execution succeeded" + execution(event));
            case "job.execution.started", "webhook.ping" -> new ParsedEvent.Ignore(topic + " is not an incident event");
            default -> new ParsedEvent.Ignore("unknown topic " + topic);
        };
    }

    private static ParsedEvent failed(IncomingEvent event) {
        String jobId = event.required("Data.JobId");
        String command = event.text("Data.Target.Command");
        String title = "Cron To Go job " + (command == null ? jobId : "\"" + command + "\"") + " failed";
        ObjectNode body = Payloads.pick(event.at("Data"), "JobId", "Id", "TriggerType", "State", "AttemptsCount");
        body.set("LastAttempt", Payloads.pick(event.at("Data.LastAttempt"), "ExitStatus", "Message", "StatusCode"));
        putTime(body, "CreatedAt", event.at("Data.CreatedAt").asLong(0));
        putTime(body, "UpdatedAt", event.at("Data.UpdatedAt").asLong(0));
        return new ParsedEvent.Trigger(jobId, title, EventBody.of(body), null, null);
    }

    /** Cron To Go writes epoch milliseconds; the incident shows RFC 3339 like every other time. */
    private static void putTime(ObjectNode body, String field, long epochMillis) {
        if (epochMillis > 0) {
            body.put(field, DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(epochMillis)));
        }
    }

    private static String execution(IncomingEvent event) {
        String id = event.text("Data.Id");
        return id == null ? "" : " (" + id + ")";
    }
}
