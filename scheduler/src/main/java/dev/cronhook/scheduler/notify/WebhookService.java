package dev.cronhook.scheduler.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cronhook.common.DomainException;
import dev.cronhook.common.FieldErrors;
import dev.cronhook.common.Page;
import dev.cronhook.common.PrefixedIds;
import dev.cronhook.delivery.outbox.Delivery;
import dev.cronhook.delivery.outbox.DeliveryModule;
import dev.cronhook.delivery.outbox.NewDelivery;
import dev.cronhook.delivery.signing.WebhookSecret;
import dev.cronhook.scheduler.jobs.JobRepository;
import dev.cronhook.scheduler.jobs.JobService;
import dev.cronhook.scheduler.jobs.SigningSecrets;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** What the API can do with notification webhooks and their deliveries. */
public final class WebhookService {
    /** The id of the built-in subscription; fixed, so that every node and every start finds the same one. */
    public static final String BUILT_IN_ID = "wh_0builtinincidentreceiver00";
    /** What the built-in incident loop hears: final outcomes, and jobs that paused themselves. */
    static final List<String> BUILT_IN_TOPICS = List.of(JobEvent.SUCCEEDED, JobEvent.FAILED, JobEvent.PAUSED);
    private static final List<String> EARLIER_BUILT_IN_TOPICS = List.of(JobEvent.SUCCEEDED, JobEvent.FAILED);
    private final WebhookRepository webhooks;
    private final WebhookValidator validator;
    private final JobRepository jobs;
    private final DeliveryModule deliveries;
    private final PrefixedIds ids;
    private final ObjectMapper json;
    private final Clock clock;

    private final WebhookDirectory directory;

    public WebhookService(WebhookRepository webhooks, WebhookValidator validator, JobRepository jobs,
                   DeliveryModule deliveries, WebhookDirectory directory, PrefixedIds ids, ObjectMapper json,
                   Clock clock) {
        this.directory = directory;
        this.webhooks = webhooks;
        this.validator = validator;
        this.jobs = jobs;
        this.deliveries = deliveries;
        this.ids = ids;
        this.json = json;
        this.clock = clock;
    }

    public Webhook create(WebhookDraft input) {
        WebhookValidator.Settings settings = validator.read(input, null);
        requireJobsExist(settings.jobIds());
        Instant now = clock.instant();
        Webhook webhook = new Webhook(ids.next("wh"), settings.nickname(), settings.url(), settings.authorization(),
                settings.topics(), settings.jobIds(), settings.enabled(), null,
                new SigningSecrets(WebhookSecret.generate(), null, null), now, now);
        webhooks.insert(webhook);
        return webhook;
    }

    /**
     * The subscription that carries every job's outcome to the bundled incident receiver: created on the first start,
     * pointed at this node's own intake on every start. It is an ordinary webhook (listed, pausable, with a delivery
     * log); deleting it is undone at the next start. {@code ownIntake} ({@code …/hooks/<token>}) is where this node
     * sends its deliveries, whichever node wrote them and whatever port other nodes listen on; the stored URL ends in
     * {@code /hooks/built-in} instead, so that the intake token is never shown to API readers.
     */
    public Webhook ensureBuiltIn(URI ownIntake, WebhookSecret secret) {
        directory.sendBuiltInTo(ownIntake);
        URI intakeUrl = ownIntake.resolve("built-in");
        Instant now = clock.instant();
        Webhook wanted = new Webhook(BUILT_IN_ID, "Built-in incident receiver", intakeUrl, null,
                BUILT_IN_TOPICS, List.of(), true, null, new SigningSecrets(secret, null, null), now, now);
        Webhook existing = webhooks.find(BUILT_IN_ID).orElse(null);
        if (existing == null) {
            webhooks.insertIfAbsent(wanted);
            return get(BUILT_IN_ID);
        }
        // Made by a version before job.paused: it hears that too, unless somebody chose its topics since.
        List<String> topics = existing.topics().equals(EARLIER_BUILT_IN_TOPICS) ? BUILT_IN_TOPICS : existing.topics();
        if (existing.url().equals(intakeUrl) && existing.secrets().current().equals(secret)
                && topics.equals(existing.topics())) {
            return existing;
        }
        Webhook pointed = new Webhook(BUILT_IN_ID, existing.nickname(), intakeUrl, existing.authorization(),
                topics, existing.jobIds(), existing.enabled(), existing.disabledReason(),
                new SigningSecrets(secret, null, null), existing.createdAt(), now);
        webhooks.update(pointed);
        return pointed;
    }

    public Webhook get(String id) {
        return webhooks.find(id).orElseThrow(() -> new DomainException.NotFound("no webhook " + id));
    }

    public Page<Webhook> list(String cursor, int limit) {
        return Page.of(webhooks.list(cursor, limit + 1), limit, Webhook::id);
    }

    /** A change; turning a subscription that Cronhook disabled back on clears the reason. */
    public Webhook update(String id, WebhookDraft patch) {
        Webhook current = get(id);
        WebhookValidator.Settings settings = validator.read(patch, new WebhookValidator.Settings(current.nickname(),
                current.url(), current.authorization(), current.topics(), current.jobIds(), current.enabled()));
        if (id.equals(BUILT_IN_ID) && !settings.url().equals(current.url())) {
            throw new DomainException.Conflict("the built-in subscription always points at this server's own intake; "
                    + "its URL cannot be changed (pause it with enabled: false)");
        }
        if (!settings.jobIds().equals(current.jobIds())) {
            requireJobsExist(settings.jobIds());
        }
        Webhook changed = new Webhook(id, settings.nickname(), settings.url(), settings.authorization(),
                settings.topics(), settings.jobIds(), settings.enabled(),
                settings.enabled() ? null : current.disabledReason(), current.secrets(), current.createdAt(),
                clock.instant());
        if (!webhooks.update(changed)) {
            throw new DomainException.NotFound("no webhook " + id);
        }
        return changed;
    }

    /** Removes the subscription and its delivery log; queued deliveries are dropped. */
    public void delete(String id) {
        if (!webhooks.delete(id)) {
            throw new DomainException.NotFound("no webhook " + id);
        }
        deliveries.forget(id);
    }

    /** A new secret, shown once; the old one keeps signing alongside it for 24 hours. */
    public Webhook rotateSecret(String id) {
        Webhook current = get(id);
        Instant now = clock.instant();
        Webhook rotated = new Webhook(id, current.nickname(), current.url(), current.authorization(), current.topics(),
                current.jobIds(), current.enabled(), current.disabledReason(),
                new SigningSecrets(WebhookSecret.generate(), current.secrets().current(),
                        now.plus(JobService.SECRET_OVERLAP)), current.createdAt(), now);
        if (!webhooks.update(rotated)) {
            throw new DomainException.NotFound("no webhook " + id);
        }
        return rotated;
    }

    /** Sends {@code webhook.ping} now, outside the queue, and returns the recorded delivery with its one attempt. */
    public Delivery ping(String id) {
        Webhook webhook = get(id);
        if (!webhook.enabled()) {
            throw new DomainException.Conflict("the webhook is disabled; enable it before pinging it");
        }
        String eventId = ids.next("evt");
        ObjectNode event = json.createObjectNode();
        event.put("id", eventId);
        event.put("type", JobEvent.PING);
        event.put("timestamp", clock.instant().toString());
        ObjectNode data = event.putObject("data").putObject("webhook");
        data.put("id", webhook.id());
        data.put("nickname", webhook.nickname());
        try {
            return deliveries.sendNow(new NewDelivery(webhook.id(), eventId, JobEvent.PING, json.writeValueAsBytes(event)));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Page<Delivery> deliveries(String id, String cursor, int limit) {
        get(id);
        return Page.of(deliveries.deliveries(id, cursor, limit + 1), limit, Delivery::id);
    }

    public Delivery delivery(String id, String deliveryId) {
        get(id);
        return deliveries.delivery(id, deliveryId)
                .orElseThrow(() -> new DomainException.NotFound("no delivery " + deliveryId + " for webhook " + id));
    }

    /** Sends the same event again (same event id), with a fresh attempt budget. */
    public Delivery redeliver(String id, String deliveryId) {
        Webhook webhook = get(id);
        if (!webhook.enabled()) {
            throw new DomainException.Conflict("the webhook is disabled; enable it before redelivering");
        }
        return deliveries.redeliver(id, deliveryId)
                .orElseThrow(() -> new DomainException.NotFound("no delivery " + deliveryId + " for webhook " + id));
    }

    private void requireJobsExist(List<String> jobIds) {
        FieldErrors errors = new FieldErrors();
        for (String jobId : jobIds) {
            if (jobs.find(jobId).isEmpty()) {
                errors.add("job_ids", "no job " + jobId);
            }
        }
        errors.throwIfAny();
    }
}
