package dev.cronhook.incident;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.cronhook.delivery.PrefixedIds;
import dev.cronhook.delivery.db.Transactions;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Applies what the rules decide to the database, one transaction per event, with the alerts queued in the same
 * transaction. Races between events with one key end in the database: the open incident's row lock, the counter
 * row for openings, and the unique (integration, open key) as the last word; a transaction that loses runs again.
 */
final class IncidentEngine {
    /** Longer keys are stored as their SHA-256, which groups the same way and fits the unique index. */
    static final int MAX_KEY = 255;

    private final DbClient db;
    private final IncidentRepository incidents;
    private final IntegrationRepository integrations;
    private final AlertPublisher alerts;
    private final PrefixedIds ids;
    private final Clock clock;

    IncidentEngine(DbClient db, IncidentRepository incidents, IntegrationRepository integrations, AlertPublisher alerts,
                   PrefixedIds ids, Clock clock) {
        this.db = db;
        this.incidents = incidents;
        this.integrations = integrations;
        this.alerts = alerts;
        this.ids = ids;
        this.clock = clock;
    }

    private record Applied<T>(T result, boolean alerted) {
    }

    IntakeResult apply(Integration integration, ParsedEvent event) {
        String key = normalizeKey(switch (event) {
            case ParsedEvent.Trigger t -> t.key();
            case ParsedEvent.Resolve r -> r.key();
            case ParsedEvent.Acknowledge a -> a.key();
            case ParsedEvent.Annotate a -> a.key();
            case ParsedEvent.Ignore i -> null;
        });
        if (key == null && !(event instanceof ParsedEvent.Trigger)) {
            return new IntakeResult(IntakeAction.IGNORED, null);
        }
        return run(tx -> applyOnce(tx, integration, event, key));
    }

    private Applied<IntakeResult> applyOnce(DbExecute tx, Integration integration, ParsedEvent event, String key) {
        Instant now = clock.instant();
        Optional<StoredIncident> open = key == null ? Optional.empty()
                : incidents.findOpenForUpdate(tx, integration.id(), key);
        IncidentRules.Decision decision = IncidentRules.decide(event, open.map(StoredIncident::asOpen), now);
        return switch (decision) {
            case IncidentRules.Decision.Open o -> open(tx, integration, (ParsedEvent.Trigger) event, key, now);
            case IncidentRules.Decision.Group g -> {
                String id = open.orElseThrow().incident().id();
                incidents.group(tx, id, now, g.next());
                if (g.onTimeline()) {
                    incidents.addTimeline(tx, id, now, "grouped", ((ParsedEvent.Trigger) event).title());
                }
                if (g.limitStarts()) {
                    incidents.addTimeline(tx, id, now, "rate_limited", "more than " + IncidentRules.GROUP_LIMIT
                            + " events within " + IncidentRules.GROUP_WINDOW.toSeconds() + " s: further events are "
                            + "counted but not listed until " + IncidentJson.time(g.next().rateLimitedUntil()));
                }
                yield new Applied<>(new IntakeResult(g.onTimeline() ? IntakeAction.GROUPED : IntakeAction.RATE_LIMITED,
                        id), false);
            }
            case IncidentRules.Decision.Resolve r -> {
                String id = open.orElseThrow().incident().id();
                boolean alerted = resolve(tx, id, now, "auto", ((ParsedEvent.Resolve) event).note());
                yield new Applied<>(new IntakeResult(IntakeAction.RESOLVED, id), alerted);
            }
            case IncidentRules.Decision.Acknowledge a -> {
                String id = open.orElseThrow().incident().id();
                boolean alerted = !a.already() && acknowledge(tx, id, integration.ackTimeoutMinutes(), now,
                        ((ParsedEvent.Acknowledge) event).note());
                yield new Applied<>(new IntakeResult(IntakeAction.ACKNOWLEDGED, id), alerted);
            }
            case IncidentRules.Decision.Annotate a -> {
                String id = open.orElseThrow().incident().id();
                incidents.addTimeline(tx, id, now, "note", ((ParsedEvent.Annotate) event).note());
                yield new Applied<>(new IntakeResult(IntakeAction.IGNORED, id), false);
            }
            case IncidentRules.Decision.Ignore i -> new Applied<>(new IntakeResult(IntakeAction.IGNORED, null), false);
        };
    }

    private Applied<IntakeResult> open(DbExecute tx, Integration integration, ParsedEvent.Trigger trigger, String key,
                                       Instant now) {
        // An opening of the same key that committed while we waited for the counter makes the insert below fail on
        // the unique open key: the transaction runs again and groups, and its rollback gives the number back.
        long number = incidents.nextNumber(tx);
        String title = trigger.title().length() <= IncidentRepository.MAX_TITLE ? trigger.title()
                : trigger.title().substring(0, IncidentRepository.MAX_TITLE - 1) + "…";
        Incident incident = new Incident(ids.next("inc"), number, integration.id(), key, title,
                trigger.body() == null ? null : trigger.body().text(),
                trigger.body() != null && trigger.body().json(),
                trigger.severity() != null ? trigger.severity() : integration.defaultSeverity(),
                trigger.priority(), IncidentStatus.TRIGGERED, 1, now, now, null, null, null);
        incidents.insert(tx, incident, IncidentRules.GroupingState.FRESH);
        incidents.addTimeline(tx, incident.id(), now, "opened", title);
        boolean alerted = alerts.publish(tx, AlertEvent.OPENED, incident);
        return new Applied<>(new IntakeResult(IntakeAction.OPENED, incident.id()), alerted);
    }

    private boolean resolve(DbExecute tx, String id, Instant now, String by, String note) {
        if (!incidents.resolve(tx, id, now, by)) {
            return false;
        }
        incidents.addTimeline(tx, id, now, "resolved", note);
        return alerts.publish(tx, AlertEvent.RESOLVED, incidents.find(tx, id).orElseThrow().incident());
    }

    private boolean acknowledge(DbExecute tx, String id, Integer timeoutMinutes, Instant now, String note) {
        if (!incidents.acknowledge(tx, id, now, IncidentRules.ackExpiresAt(now, timeoutMinutes))) {
            return false;
        }
        incidents.addTimeline(tx, id, now, "acknowledged", note);
        return alerts.publish(tx, AlertEvent.ACKNOWLEDGED, incidents.find(tx, id).orElseThrow().incident());
    }

    /** {@code POST /v1/incidents/{id}/acknowledge}: idempotent on an acknowledged incident, 409 on a resolved one. */
    Incident acknowledgeById(String id) {
        return run(tx -> {
            StoredIncident stored = incidents.findForUpdate(tx, id)
                    .orElseThrow(() -> new ReceiverException.NotFound("no incident " + id));
            if (stored.incident().status() == IncidentStatus.RESOLVED) {
                throw new ReceiverException.Conflict("incident " + id + " is resolved");
            }
            boolean alerted = false;
            if (stored.incident().status() == IncidentStatus.TRIGGERED) {
                Integer timeout = integrations.find(tx, stored.incident().integrationId())
                        .map(i -> i.integration().ackTimeoutMinutes()).orElse(null);
                alerted = acknowledge(tx, id, timeout, clock.instant(), "acknowledged through the API");
            }
            return new Applied<>(incidents.find(tx, id).orElseThrow().incident(), alerted);
        });
    }

    /** {@code POST /v1/incidents/{id}/resolve}: 409 on an incident already resolved. */
    Incident resolveById(String id) {
        return run(tx -> {
            StoredIncident stored = incidents.findForUpdate(tx, id)
                    .orElseThrow(() -> new ReceiverException.NotFound("no incident " + id));
            if (stored.incident().status() == IncidentStatus.RESOLVED) {
                throw new ReceiverException.Conflict("incident " + id + " is already resolved");
            }
            boolean alerted = resolve(tx, id, clock.instant(), "api", "resolved through the API");
            return new Applied<>(incidents.find(tx, id).orElseThrow().incident(), alerted);
        });
    }

    /** Puts one incident whose acknowledgement ran out back to triggered and alerts again; false if it moved on. */
    boolean reopenExpired(String id) {
        return run(tx -> {
            Instant now = clock.instant();
            Optional<StoredIncident> stored = incidents.findForUpdate(tx, id);
            if (stored.isEmpty() || !IncidentRules.ackExpired(stored.get().incident().status(),
                    stored.get().ackExpiresAt(), now) || !incidents.reopenExpired(tx, id, now)) {
                return new Applied<>(false, false);
            }
            incidents.addTimeline(tx, id, now, "reopened", "the acknowledgement timed out");
            boolean alerted = alerts.publish(tx, AlertEvent.REOPENED, incidents.find(tx, id).orElseThrow().incident());
            return new Applied<>(true, alerted);
        });
    }

    private <T> T run(java.util.function.Function<DbExecute, Applied<T>> work) {
        Applied<T> applied = TransientFailures.retry(() -> Transactions.inTransaction(db, work::apply));
        if (applied.alerted()) {
            alerts.wake();
        }
        return applied.result();
    }

    static String normalizeKey(String key) {
        if (key == null || key.isBlank()) {
            return null;
        }
        if (key.length() <= MAX_KEY) {
            return key;
        }
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
