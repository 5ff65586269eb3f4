package dev.cronhook.scheduler.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cronhook.common.PrefixedIds;
import dev.cronhook.delivery.attempts.AttemptResult;
import dev.cronhook.delivery.outbox.NewDelivery;
import dev.cronhook.delivery.outbox.Outbox;
import dev.cronhook.scheduler.jobs.Job;
import dev.cronhook.scheduler.jobs.JobDefinition;
import dev.cronhook.scheduler.jobs.JobRepository;
import dev.cronhook.scheduler.jobs.JobType;
import dev.cronhook.scheduler.runs.ClaimedRun;
import dev.cronhook.scheduler.runs.ExecutionStatus;
import dev.cronhook.scheduler.runs.FinishedAttempt;
import dev.cronhook.scheduler.runs.OverlapGuard;
import dev.cronhook.scheduler.runs.RetryPolicy;
import dev.cronhook.scheduler.runs.RunEvents;
import io.helidon.dbclient.DbExecute;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Turns attempt starts and outcomes into notification events (PRODUCT.md section 6) and puts one delivery per
 * subscribed webhook into the outbox, inside the transaction that records what the event reports.
 */
public final class JobNotifications implements RunEvents {
    private final WebhookRepository webhooks;
    private final JobRepository jobs;
    private final Outbox outbox;
    private final PrefixedIds ids;
    private final ObjectMapper json;
    private final RetryPolicy retries;
    private final Clock clock;

    public JobNotifications(WebhookRepository webhooks, JobRepository jobs, Outbox outbox, PrefixedIds ids, ObjectMapper json,
                     RetryPolicy retries, Clock clock) {
        this.webhooks = webhooks;
        this.jobs = jobs;
        this.outbox = outbox;
        this.ids = ids;
        this.json = json;
        this.retries = retries;
        this.clock = clock;
    }

    /** The subscriptions are read once per batch, as its transaction sees them. */
    @Override
    public int queue(DbExecute tx, List<RunEvents.Event> events) {
        List<Webhook> subscribers = webhooks.enabled(tx);
        List<FinishedAttempt> ended = events.stream()
                .map(event -> event instanceof RunEvents.Ended e ? e.attempt() : null).filter(Objects::nonNull).toList();
        Set<String> recoveries = recoveries(tx, subscribers, ended);
        int queued = 0;
        for (RunEvents.Event event : events) {
            queued += switch (event) {
                case RunEvents.Started started -> started(tx, subscribers, started.run(), started.at());
                case RunEvents.Ended e -> finished(tx, subscribers, e.attempt(),
                        recoveries.contains(e.attempt().run().executionId()));
                case RunEvents.Paused paused -> paused(tx, subscribers, paused.job(), paused.reason());
                case RunEvents.Skipped skipped -> skipped(tx, subscribers, skipped.run());
                case RunEvents.Missed missed -> missed(tx, subscribers, missed);
            };
        }
        return queued;
    }

    /** Queues {@code job.execution.started}; returns how many deliveries were queued. */
    private int started(DbExecute tx, List<Webhook> subscribers, ClaimedRun run, Instant startedAt) {
        if (subscribers.stream().noneMatch(w -> w.wants(JobEvent.STARTED, run.job().id()))) {
            return 0;
        }
        ObjectNode execution = execution(run, ExecutionStatus.RUNNING);
        execution.put("started_at", startedAt.toString());
        noOutcome(execution, false);
        return enqueue(tx, subscribers, JobEvent.STARTED, run, execution);
    }

    /** Queues {@code job.execution.skipped}: the execution envelope of a run that was never sent. */
    private int skipped(DbExecute tx, List<Webhook> subscribers, ClaimedRun run) {
        if (subscribers.stream().noneMatch(w -> w.wants(JobEvent.SKIPPED, run.job().id()))) {
            return 0;
        }
        ObjectNode execution = execution(run, ExecutionStatus.SKIPPED);
        execution.put("skip_reason", OverlapGuard.OVERLAP);
        execution.putNull("started_at");
        noOutcome(execution, true);
        return enqueue(tx, subscribers, JobEvent.SKIPPED, run, execution);
    }

    /** The outcome fields of an execution envelope whose attempt has none (yet, or ever). */
    private static void noOutcome(ObjectNode execution, boolean isFinal) {
        execution.putNull("outcome");
        execution.putNull("status_code");
        execution.putNull("duration_ms");
        execution.putNull("error");
        execution.put("final", isFinal);
        execution.putNull("next_attempt_at");
    }

    /**
     * Keeps each job's failing flag (did its last execution fail for good?) for the attempts of a batch, in their
     * order, and returns the executions whose success ended a failure. The built-in incident loop hears a success only
     * then, when there may be an incident to resolve, instead of at every successful run. One read and at most two
     * writes for the whole batch.
     */
    private Set<String> recoveries(DbExecute tx, List<Webhook> subscribers, List<FinishedAttempt> attempts) {
        Webhook builtIn = subscribers.stream().filter(w -> w.id().equals(WebhookService.BUILT_IN_ID)).findFirst()
                .orElse(null);
        if (builtIn == null) {
            return Set.of();
        }
        List<FinishedAttempt> finals = attempts.stream()
                .filter(a -> a.status() != ExecutionStatus.RETRY_SCHEDULED)
                .filter(a -> builtIn.wants(eventType(a), a.run().job().id()))
                .toList();
        if (finals.isEmpty()) {
            return Set.of();
        }
        List<String> jobIds = finals.stream().map(a -> a.run().job().id()).distinct().toList();
        Set<String> failingBefore = jobs.failing(tx, jobIds);
        Set<String> failing = new HashSet<>(failingBefore);
        Set<String> recovered = new HashSet<>();
        for (FinishedAttempt attempt : finals) {
            String jobId = attempt.run().job().id();
            if (attempt.status() == ExecutionStatus.FAILED) {
                failing.add(jobId);
            } else if (failing.remove(jobId)) {
                recovered.add(attempt.run().executionId());
            }
        }
        jobs.setFailing(tx, jobIds.stream().filter(id -> failing.contains(id) && !failingBefore.contains(id)).toList(),
                true);
        jobs.setFailing(tx, jobIds.stream().filter(id -> failingBefore.contains(id) && !failing.contains(id)).toList(),
                false);
        return recovered;
    }

    /**
     * Queues {@code job.execution.succeeded} or {@code failed} for one finished attempt; {@code recovery}: its success
     * ended a failure ({@link #recoveries}).
     */
    private int finished(DbExecute tx, List<Webhook> subscribers, FinishedAttempt attempt, boolean recovery) {
        ClaimedRun run = attempt.run();
        AttemptResult result = attempt.result();
        ExecutionStatus status = attempt.status();
        Instant nextAttemptAt = attempt.nextAttemptAt();
        String type = eventType(attempt);
        List<Webhook> recipients = subscribers.stream().filter(w -> w.wants(type, run.job().id())).toList();
        if (status == ExecutionStatus.SUCCEEDED && !recovery) {
            // No final failure since the last success, so no incident to resolve: the built-in loop would only be
            // told "nothing to do" at the cost of a delivery per successful run.
            recipients = recipients.stream().filter(w -> !w.id().equals(WebhookService.BUILT_IN_ID)).toList();
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

    @Override
    public void wake() {
        outbox.wake();
    }

    private static String eventType(FinishedAttempt attempt) {
        return attempt.status() == ExecutionStatus.SUCCEEDED ? JobEvent.SUCCEEDED : JobEvent.FAILED;
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

    /** Queues {@code job.paused} {@code {job, reason}}; returns how many deliveries were queued. */
    private int paused(DbExecute tx, List<Webhook> subscribers, Job job, String reason) {
        ObjectNode data = json.createObjectNode();
        data.set("job", job(job));
        data.put("reason", reason);
        return enqueue(tx, subscribers, JobEvent.PAUSED, job.id(), data);
    }

    /** Queues {@code job.runs.missed} {@code {job, count, first, last}}; returns how many deliveries were queued. */
    private int missed(DbExecute tx, List<Webhook> subscribers, RunEvents.Missed missed) {
        ObjectNode data = json.createObjectNode();
        data.set("job", job(missed.job()));
        data.put("count", missed.count());
        data.put("first", missed.first().toString());
        data.put("last", missed.last() == null ? null : missed.last().toString());
        return enqueue(tx, subscribers, JobEvent.MISSED, missed.job().id(), data);
    }

    private int enqueue(DbExecute tx, List<Webhook> subscribers, String type, ClaimedRun run, ObjectNode execution) {
        ObjectNode data = json.createObjectNode();
        data.set("job", job(run.job()));
        data.set("execution", execution);
        return enqueue(tx, subscribers, type, run.job().id(), data);
    }

    /** One event, as PRODUCT.md section 6 shapes it, to each subscriber that wants its type for this job. */
    private int enqueue(DbExecute tx, List<Webhook> subscribers, String type, String jobId, ObjectNode data) {
        String eventId = ids.next("evt");
        ObjectNode event = json.createObjectNode();
        event.put("id", eventId);
        event.put("type", type);
        event.put("timestamp", clock.instant().toString());
        event.set("data", data);
        byte[] body;
        try {
            body = json.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        int queued = 0;
        for (Webhook webhook : subscribers) {
            if (webhook.wants(type, jobId)) {
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
