package dev.cronhook.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cronhook.delivery.StoredAttempt;
import dev.cronhook.scheduler.Execution;
import dev.cronhook.scheduler.Job;
import dev.cronhook.scheduler.JobDefinition;
import dev.cronhook.scheduler.JobType;
import java.util.List;

/** The JSON form of jobs and executions (PRODUCT.md sections 3 and 4). */
public final class JobViews {
    private JobViews() {
    }

    public static ObjectNode job(Job job) {
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
        node.put("timeout_seconds", d.timeoutSeconds());
        node.put("enabled", d.enabled());
        if (job.type() == JobType.ONCE) {
            node.put("status", job.status().wireName());
        }
        node.put("next_run_at", Json.time(job.nextRunAt()));
        node.put("created_at", Json.time(job.createdAt()));
        node.put("updated_at", Json.time(job.updatedAt()));
        return node;
    }

    /** The job as shown once, right after it was made or its secret rotated. */
    public static ObjectNode jobWithSecret(Job job) {
        ObjectNode node = job(job);
        node.put("signing_secret", job.secrets().current().value());
        return node;
    }

    /** The attempts of an execution or a delivery, in number order. */
    static ArrayNode attempts(List<StoredAttempt> attempts) {
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
        node.put("status", execution.status().wireName());
        node.put("next_attempt_at", Json.time(execution.nextAttemptAt()));
        node.put("created_at", Json.time(execution.createdAt()));
        node.set("attempts", attempts(execution.attempts()));
        return node;
    }
}
