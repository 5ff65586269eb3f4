package dev.cronhook.api.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cronhook.common.DomainException;
import dev.cronhook.common.FieldError;
import dev.cronhook.common.Input;
import dev.cronhook.delivery.attempts.StoredAttempt;
import dev.cronhook.scheduler.jobs.CatchUp;
import dev.cronhook.scheduler.jobs.Completion;
import dev.cronhook.scheduler.jobs.Concurrency;
import dev.cronhook.scheduler.jobs.Job;
import dev.cronhook.scheduler.jobs.JobBody;
import dev.cronhook.scheduler.jobs.JobDefinition;
import dev.cronhook.scheduler.jobs.JobDraft;
import dev.cronhook.scheduler.jobs.JobType;
import dev.cronhook.scheduler.jobs.JobValidator;
import dev.cronhook.scheduler.runs.Execution;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The wire form of jobs and executions (PRODUCT.md sections 3 and 4): requests decoded, replies encoded. */
public final class JobCodec {
    /** The fields a client sets; the API description lists exactly these (and READ_ONLY), a test checks. */
    public static final Set<String> SETTABLE = Set.of("name", "url", "method", "headers", "body", "cron", "timezone",
            "run_at", "end_at", "pause_after_failures", "concurrency", "catch_up", "jitter_seconds", "completion",
            "callback_timeout_seconds", "timeout_seconds", "enabled");
    /** Fields of the job's own representation: a client that sends a fetched job back unchanged is not wrong. */
    public static final Set<String> READ_ONLY = Set.of("id", "type", "status", "next_run_at", "paused_reason", "missed_runs",
            "created_at", "updated_at", "last_execution");
    private static final FieldError NOT_AN_OBJECT = new FieldError("", "the request body must be a JSON object");

    private JobCodec() {
    }

    /** A create or change request; what it says is checked by the job service. */
    public static JobDraft decode(JsonNode input) {
        FieldReader in = FieldReader.of(input, NOT_AN_OBJECT, SETTABLE, READ_ONLY);
        return new JobDraft(in.text("name"), in.text("url"), in.text("method"), headers(in), body(in),
                in.text("cron"), in.text("timezone"), in.text("run_at"), in.text("end_at"),
                in.whole("pause_after_failures", JobValidator.PAUSE_AFTER_FAILURES_RULE),
                in.text("concurrency", Concurrency.RULE),
                in.text("catch_up", CatchUp.RULE),
                in.whole("jitter_seconds", JobValidator.JITTER_RULE),
                in.text("completion", Completion.RULE),
                in.whole("callback_timeout_seconds", Completion.CALLBACK_TIMEOUT_RULE),
                in.whole("timeout_seconds", "must be a whole number from 1 to 120"),
                in.bool("enabled", "must be true or false"), in.errors());
    }

    /** The optional {@code {"reason": "…"}} of a pause; null when none is given. */
    public static String pauseReason(JsonNode input) {
        FieldReader in = FieldReader.of(input, NOT_AN_OBJECT, Set.of("reason"), Set.of());
        Input<String> reason = in.text("reason");
        if (!in.errors().isEmpty()) {
            throw new DomainException.Invalid(in.errors());
        }
        return reason.value();
    }

    /** Header names to values in the order sent; a value that is not a string is null, for the service to name. */
    private static Input<Map<String, String>> headers(FieldReader in) {
        return in.node("headers").map(node -> {
            if (!node.isObject()) {
                in.error("headers", "must be an object of header names to string values");
                return null;
            }
            Map<String, String> headers = new LinkedHashMap<>();
            node.fields().forEachRemaining(field -> headers.put(field.getKey(),
                    field.getValue().isTextual() ? field.getValue().textValue() : null));
            return headers;
        });
    }

    /** A string is sent as is; any other JSON value as its JSON text. */
    private static Input<JobBody> body(FieldReader in) {
        return in.node("body").map(node -> {
            if (node.isTextual()) {
                return new JobBody(node.textValue(), false);
            }
            try {
                return new JobBody(Json.MAPPER.writeValueAsString(node), true);
            } catch (JsonProcessingException e) {
                in.error("body", "cannot be written as JSON");
                return null;
            }
        });
    }

    /** The job as read at {@code now}, which decides a cron job's status. */
    public static ObjectNode job(Job job, Instant now) {
        JobDefinition d = job.definition();
        ObjectNode node = Json.object();
        node.put("id", job.id());
        node.put("name", d.name());
        node.put("type", job.type().wireName());
        node.put("url", d.url().toString());
        node.put("method", d.method());
        ObjectNode headers = node.putObject("headers");
        d.headers().forEach(headers::put);
        if (d.body() == null) {
            node.putNull("body");
        } else if (d.body().json()) {
            try {
                node.set("body", Json.MAPPER.readTree(d.body().text()));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("stored JSON body of " + job.id() + " does not parse", e);
            }
        } else {
            node.put("body", d.body().text());
        }
        node.put("cron", d.cron());
        node.put("timezone", d.zone() == null ? null : d.zone().getId());
        node.put("run_at", Json.time(d.runAt()));
        node.put("end_at", Json.time(d.endAt()));
        node.put("pause_after_failures", d.pauseAfterFailures());
        node.put("concurrency", d.concurrency().wireName());
        node.put("catch_up", job.type() == JobType.CRON ? d.catchUp().wireName() : null);
        node.put("jitter_seconds", job.type() == JobType.CRON ? d.jitterSeconds() : null);
        node.put("completion", d.completion().wireName());
        node.put("callback_timeout_seconds", d.callbackTimeoutSeconds());
        node.put("timeout_seconds", d.timeoutSeconds());
        node.put("enabled", d.enabled());
        node.put("status", job.type() == JobType.ONCE ? job.status().wireName() : job.cronStatus(now).wireName());
        node.put("paused_reason", job.pausedReason());
        if (job.type() == JobType.CRON) {
            node.put("missed_runs", job.missedRuns());
        }
        node.put("next_run_at", Json.time(job.nextRunAt()));
        node.put("created_at", Json.time(job.createdAt()));
        node.put("updated_at", Json.time(job.updatedAt()));
        return node;
    }

    /**
     * The job with {@code last_execution} {@code {id, status, finished_at}} (null when it never ran), as lists and the
     * dashboard show it.
     */
    public static ObjectNode job(Job job, Instant now, Execution last) {
        ObjectNode node = job(job, now);
        if (last == null) {
            node.putNull("last_execution");
        } else {
            node.putObject("last_execution").put("id", last.id()).put("status", last.status().wireName())
                    .put("finished_at", Json.time(finishedAt(last)));
        }
        return node;
    }

    /** When an execution ended: its last attempt's end, or its callback's; null while it is in flight. */
    static Instant finishedAt(Execution execution) {
        return switch (execution.status()) {
            case SKIPPED -> execution.createdAt();
            case SUCCEEDED, FAILED -> {
                Instant end = null;
                for (var attempt : execution.attempts()) {
                    end = later(end, attempt.finishedAt());
                    if ("callback_timeout".equals(attempt.outcome())) {
                        end = later(end, execution.callbackDeadline());
                    }
                }
                for (Execution.Callback callback : execution.callbacks()) {
                    end = later(end, callback.receivedAt());
                }
                yield end;
            }
            case RUNNING, RETRY_SCHEDULED, AWAITING_CALLBACK -> null;
        };
    }

    private static Instant later(Instant a, Instant b) {
        return a == null ? b : b == null || a.isAfter(b) ? a : b;
    }

    /** The job as shown once, right after it was made or its secret rotated. */
    public static ObjectNode jobWithSecret(Job job, Instant now) {
        ObjectNode node = job(job, now);
        node.put("signing_secret", job.secrets().current().value());
        return node;
    }

    /** The attempts of an execution or a delivery, in number order. */
    public static ArrayNode attempts(List<StoredAttempt> attempts) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        for (StoredAttempt attempt : attempts) {
            ObjectNode a = array.addObject();
            a.put("number", attempt.number());
            a.put("started_at", Json.time(attempt.startedAt()));
            a.put("finished_at", Json.time(attempt.finishedAt()));
            a.put("duration_ms", attempt.durationMs());
            a.put("queued_ms", attempt.queuedMs());
            a.put("outcome", attempt.outcome());
            a.put("status_code", attempt.statusCode());
            a.put("error", attempt.error());
            a.put("response_body", attempt.responseBody());
            a.put("node_id", attempt.nodeId());
        }
        return array;
    }

    public static ObjectNode execution(Execution execution) {
        ObjectNode node = Json.object();
        node.put("id", execution.id());
        node.put("job_id", execution.jobId());
        node.put("trigger", execution.trigger().wireName());
        node.put("scheduled_for", Json.time(execution.scheduledFor()));
        node.put("fire_at", Json.time(execution.fireAt()));
        node.put("status", execution.status().wireName());
        node.put("skip_reason", execution.skipReason());
        node.put("next_attempt_at", Json.time(execution.nextAttemptAt()));
        node.put("callback_deadline", Json.time(execution.callbackDeadline()));
        node.put("created_at", Json.time(execution.createdAt()));
        ArrayNode attempts = attempts(execution.attempts());
        for (JsonNode attempt : attempts) {
            int number = attempt.get("number").intValue();
            Execution.Callback callback = execution.callbacks().stream().filter(c -> c.attempt() == number)
                    .findFirst().orElse(null);
            ((ObjectNode) attempt).put("callback_status", callback == null ? null
                    : callback.report().status().wireName());
            ((ObjectNode) attempt).put("callback_output", callback == null ? null : callback.report().output());
            ((ObjectNode) attempt).put("callback_at", callback == null ? null : Json.time(callback.receivedAt()));
        }
        node.set("attempts", attempts);
        return node;
    }
}
