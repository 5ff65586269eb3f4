package dev.cronhook.scheduler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cronhook.delivery.AttemptResult;
import dev.cronhook.delivery.PrefixedIds;
import dev.cronhook.delivery.outbox.NewDelivery;
import dev.cronhook.delivery.outbox.Outbox;
import io.helidon.dbclient.DbExecute;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Turns attempt starts and outcomes into notification events (PRODUCT.md section 6) and puts one delivery per
 * subscribed webhook into the outbox, inside the transaction that records what the event reports.
 */
final class JobNotifications {
    private final WebhookRepository webhooks;
    private final JobRepository jobs;
    private final Outbox outbox;
    private final PrefixedIds ids;
    private final ObjectMapper json;
    private final RetryPolicy retries;
    private final Clock clock;

    JobNotifications(WebhookRepository webhooks, JobRepository jobs, Outbox outbox, PrefixedIds ids, ObjectMapper json,
                     RetryPolicy retries, Clock clock) {
        this.webhooks = webhooks;
        this.jobs = jobs;
        this.outbox = outbox;
        this.ids = ids;
        this.json = json;
        this.retries = retries;
        this.clock = clock;
    }

    /** The subscriptions as this transaction sees them; read once per batch of events. */
    List<Webhook> subscribers(DbExecute tx) {
        return webhooks.enabled(tx);
    }

    /** Queues {@code job.execution.started}; returns how many deliveries were queued. */
    int started(DbExecute tx, List<Webhook> subscribers, ClaimedRun run, Instant startedAt) {
        if (subscribers.stream().noneMatch(w -> w.wants(JobEvent.STARTED, run.job().id()))) {
            return 0;
        }
        ObjectNode execution = execution(run, ExecutionStatus.RUNNING);
        execution.put("started_at", startedAt.toString());
        execution.putNull("outcome");
        execution.putNull("status_code");
        execution.putNull("duration_ms");
        execution.putNull("error");
        execution.put("final", false);
        execution.putNull("next_attempt_at");
        return enqueue(tx, subscribers, JobEvent.STARTED, run, execution);
    }

    /** Queues {@code job.execution.succeeded} or {@code failed} for one finished attempt. */
    int finished(DbExecute tx, List<Webhook> subscribers, ClaimedRun run, AttemptResult result, ExecutionStatus status,
                 Instant nextAttemptAt) {
        String type = status == ExecutionStatus.SUCCEEDED ? JobEvent.SUCCEEDED : JobEvent.FAILED;
        List<Webhook> recipients = subscribers.stream().filter(w -> w.wants(type, run.job().id())).toList();
        if (recipients.stream().anyMatch(w -> w.id().equals(WebhookService.BUILT_IN_ID))
                && status != ExecutionStatus.RETRY_SCHEDULED) {
            boolean changed = jobs.markFailing(tx, run.job().id(), status == ExecutionStatus.FAILED);
            if (status == ExecutionStatus.SUCCEEDED && !changed) {
                // No final failure since the last success, so no incident to resolve: the built-in loop would only
                // be told "nothing to do" at the cost of a delivery per successful run.
                recipients = recipients.stream().filter(w -> !w.id().equals(WebhookService.BUILT_IN_ID)).toList();
            }
        }
        if (recipients.isEmpty()) {
            return 0;
        }
        ObjectNode execution = execution(run, status);
        execution.put("outcome", result.outcome().wireName());
        if (result.statusCode() == null) {
            execution.putNull("status_code");
        } else {
            execution.put("status_code", result.statusCode());
        }
        execution.put("duration_ms", result.durationMillis());
        execution.put("error", result.error());
        execution.put("final", status != ExecutionStatus.RETRY_SCHEDULED);
        execution.put("next_attempt_at", nextAttemptAt == null ? null : nextAttemptAt.toString());
        return enqueue(tx, recipients, type, run, execution);
    }

    /** After the commit: the worker sends what was queued now rather than at its next poll. */
    void wake() {
        outbox.wake();
    }

    private ObjectNode execution(ClaimedRun run, ExecutionStatus status) {
        ObjectNode execution = json.createObjectNode();
        execution.put("id", run.executionId());
        execution.put("trigger", run.trigger().wireName());
        execution.put("scheduled_for", run.scheduledFor().toString());
        execution.put("attempt", run.attemptNumber());
        execution.put("max_attempts", run.job().type() == JobType.ONCE ? retries.maxAttempts() : 1);
        execution.put("status", status.wireName());
        return execution;
    }

    private int enqueue(DbExecute tx, List<Webhook> subscribers, String type, ClaimedRun run, ObjectNode execution) {
        String eventId = ids.next("evt");
        ObjectNode event = json.createObjectNode();
        event.put("id", eventId);
        event.put("type", type);
        event.put("timestamp", clock.instant().toString());
        ObjectNode data = event.putObject("data");
        data.set("job", job(run.job()));
        data.set("execution", execution);
        byte[] body;
        try {
            body = json.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        int queued = 0;
        for (Webhook webhook : subscribers) {
            if (webhook.wants(type, run.job().id())) {
                outbox.enqueue(tx, new NewDelivery(webhook.id(), eventId, type, body));
                queued++;
            }
        }
        return queued;
    }

    private ObjectNode job(Job job) {
        JobDefinition definition = job.definition();
        ObjectNode node = json.createObjectNode();
        node.put("id", job.id());
        node.put("name", definition.name());
        node.put("type", job.type().wireName());
        node.put("url", definition.url().toString());
        node.put("cron", definition.cron());
        node.put("timezone", definition.zone() == null ? null : definition.zone().getId());
        node.put("run_at", definition.runAt() == null ? null : definition.runAt().toString());
        return node;
    }
}
