package dev.cronhook.incident.intake;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cronhook.common.DomainException;
import dev.cronhook.incident.incidents.EventBody;
import dev.cronhook.incident.incidents.ParsedEvent;

/**
 * Cronhook's own notification envelope (PRODUCT.md section 6). A run's final failure opens an incident keyed by the
 * job id and its next success resolves it; a failure that will be retried, or a job that paused itself after failures,
 * only adds a line to an open incident.
 */
final class CronhookParser implements OneEventParser {

    @Override
    public ParsedEvent parse(IncomingEvent event) {
        String type = event.required("type");
        return switch (type) {
            case "job.execution.failed" -> failed(event);
            case "job.execution.succeeded" -> new ParsedEvent.Resolve(event.required("data.job.id"),
                    "job succeeded" + execution(event));
            // A job that paused itself says so in its open incident's timeline; with none open, nothing happens.
            case "job.paused" -> new ParsedEvent.Annotate(event.required("data.job.id"), "job paused: "
                    + Payloads.firstNonNull(event.text("data.reason"), "no reason given"));
            case "job.execution.started", "job.execution.skipped", "job.runs.missed", "webhook.ping" ->
                    new ParsedEvent.Ignore(type + " is not an incident event");
            default -> new ParsedEvent.Ignore("unknown event type " + type);
        };
    }

    private static ParsedEvent failed(IncomingEvent event) {
        String jobId = event.required("data.job.id");
        JsonNode finalFlag = event.at("data.execution.final");
        if (!finalFlag.isBoolean()) {
            throw DomainException.Invalid.of("data.execution.final", "is required (true or false)");
        }
        String name = Payloads.firstNonNull(event.text("data.job.name"), jobId);
        if (finalFlag.booleanValue()) {
            return new ParsedEvent.Trigger(jobId, "Job \"" + name + "\" failed", EventBody.of(event.at("data")),
                    null, null);
        }
        StringBuilder note = new StringBuilder("attempt");
        String attempt = event.text("data.execution.attempt");
        if (attempt != null) {
            note.append(' ').append(attempt);
            String max = event.text("data.execution.max_attempts");
            if (max != null) {
                note.append(" of ").append(max);
            }
        }
        note.append(" failed");
        String outcome = event.text("data.execution.outcome");
        if (outcome != null) {
            note.append(" (").append(outcome);
            String status = event.text("data.execution.status_code");
            if (status != null) {
                note.append(' ').append(status);
            }
            note.append(')');
        }
        String next = event.text("data.execution.next_attempt_at");
        if (next != null) {
            note.append("; next attempt at ").append(next);
        }
        return new ParsedEvent.Annotate(jobId, note + execution(event));
    }

    private static String execution(IncomingEvent event) {
        String id = event.text("data.execution.id");
        return id == null ? "" : " (" + id + ")";
    }
}
