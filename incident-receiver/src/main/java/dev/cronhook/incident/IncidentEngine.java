package dev.cronhook.incident;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.cronhook.common.DomainException;
import dev.cronhook.common.PrefixedIds;
import dev.cronhook.common.db.Transactions;
import dev.cronhook.incident.channels.AlertEvent;
import dev.cronhook.incident.channels.IncidentJson;
import dev.cronhook.incident.incidents.AlertRules;
import dev.cronhook.incident.incidents.Incident;
import dev.cronhook.incident.incidents.IncidentRepository;
import dev.cronhook.incident.incidents.IncidentRules;
import dev.cronhook.incident.incidents.IncidentStatus;
import dev.cronhook.incident.incidents.IntakeAction;
import dev.cronhook.incident.incidents.IntakeResult;
import dev.cronhook.incident.incidents.ParsedEvent;
import dev.cronhook.incident.incidents.Silence;
import dev.cronhook.incident.incidents.SilenceRepository;
import dev.cronhook.incident.incidents.StoredIncident;
import dev.cronhook.incident.incidents.TransientFailures;
import dev.cronhook.incident.integrations.Integration;
import dev.cronhook.incident.integrations.IntegrationRepository;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Applies what the rules decide to the database, one transaction per batch of intake events or per API call, with
 * the alerts queued in the same transaction. Races between events with one key end in the database: the open
 * incident's row lock, the counter row for openings, and the unique open key as the last word; a transaction that
 * loses runs again.
 */
final class IncidentEngine {
    /** Longer keys are stored as their SHA-256, which groups the same way and fits the unique index. */
    static final int MAX_KEY = 255;

    private final DbClient db;
    private final IncidentRepository incidents;
    private final IntegrationRepository integrations;
    private final AlertGate alerts;
    private final SilenceRepository silences;
    private final PrefixedIds ids;
    private final Clock clock;

    IncidentEngine(DbClient db, IncidentRepository incidents, IntegrationRepository integrations, AlertGate alerts,
                   SilenceRepository silences, PrefixedIds ids, Clock clock) {
        this.silences = silences;
        this.db = db;
        this.incidents = incidents;
        this.integrations = integrations;
        this.alerts = alerts;
        this.ids = ids;
        this.clock = clock;
    }

    private record Applied<T>(T result, boolean alerted) {
    }

    /** An intake event with its key as stored: normalized, null for none. */
    record Keyed(Integration integration, ParsedEvent event, String key) {
    }

    /**
     * The key of {@code event} as stored, or null; an event that needs an open incident and has no key is ignored
     * without a transaction.
     */
    static Optional<Keyed> keyed(Integration integration, ParsedEvent event) {
        String key = normalizeKey(event.key());
        if (key == null && !(event instanceof ParsedEvent.Trigger)) {
            return Optional.empty();
        }
        return Optional.of(new Keyed(integration, event, key));
    }

    /** What one event does, decided before any of the batch is written; {@code incidentId} is null for none. */
    private record Step(Keyed keyed, IncidentRules.Decision decision, String incidentId) {
    }

    /** How a transaction of intake events treats them. */
    private enum Mode {
        /** One event on its request thread: looks its key up, and writes nothing if it would open an incident. */
        UNLESS_OPENING,
        /** Events that found nothing open just before: assumed still so, the unique open key says otherwise. */
        ASSUMING_NONE_OPEN,
        /** Looks every key up, locked. */
        LOOKING_UP
    }

    /**
     * Applies one intake event in its own transaction, unless it opens an incident: then nothing is written and the
     * result is empty, for {@link Openings} to open it in a batch.
     */
    Optional<IntakeResult> applyUnlessOpening(Keyed event) {
        return run(tx -> applyAllOnce(tx, List.of(event), Mode.UNLESS_OPENING)).map(List::getFirst);
    }

    /**
     * Applies triggers in one transaction, each as if it came after the ones before it, and returns one result per
     * event. Each of them found no open incident for its key a moment ago, so the first attempt does not look
     * again: an incident opened since for one of the keys makes the insert fail on the unique open key, and the
     * batch runs again, rolled back (which gives its numbers back), with every key looked up and locked. The keys
     * are locked in key order and the counter row once, after them: batches on several nodes wait for each other
     * but never deadlock, and the openings of a batch take their numbers together, without gaps.
     */
    List<IntakeResult> applyAll(List<Keyed> events) {
        if (!events.stream().allMatch(e -> e.event() instanceof ParsedEvent.Trigger)) {
            // Only a missing opening makes the unique key speak up; a resolve assumed to find nothing would be lost.
            throw new IllegalArgumentException("only triggers that found nothing open are applied in batches");
        }
        try {
            return once(tx -> applyAllOnce(tx, events, Mode.ASSUMING_NONE_OPEN)).orElseThrow();
        } catch (RuntimeException e) {
            if (!TransientFailures.transient_(e)) {
                throw e;
            }
        }
        return run(tx -> applyAllOnce(tx, events, Mode.LOOKING_UP)).orElseThrow();
    }

    private Applied<Optional<List<IntakeResult>>> applyAllOnce(DbExecute tx, List<Keyed> events, Mode mode) {
        Instant now = clock.instant();
        Map<String, IncidentRules.OpenIncident> open = new HashMap<>();
        if (mode != Mode.ASSUMING_NONE_OPEN) {
            for (String openKey : openKeys(events)) {
                incidents.findOpenForUpdate(tx, openKey).ifPresent(incident -> open.put(openKey, incident));
            }
        }
        List<Step> steps = new ArrayList<>(events.size());
        int openings = 0;
        for (Keyed keyed : events) {
            String openKey = keyed.key() == null ? null
                    : IncidentRepository.openKey(keyed.integration().id(), keyed.key());
            Optional<IncidentRules.OpenIncident> current = Optional.ofNullable(open.get(openKey));
            IncidentRules.Decision decision = IncidentRules.decide(keyed.event(), current, now);
            boolean opens = decision instanceof IncidentRules.Decision.Open;
            String id = opens ? ids.next("inc") : current.map(IncidentRules.OpenIncident::id).orElse(null);
            if (openKey != null) {
                IncidentRules.after(current, decision, id)
                        .ifPresentOrElse(next -> open.put(openKey, next), () -> open.remove(openKey));
            }
            openings += opens ? 1 : 0;
            steps.add(new Step(keyed, decision, id));
        }
        if (openings > 0 && mode == Mode.UNLESS_OPENING) {
            return new Applied<>(Optional.empty(), false);
        }
        long number = openings == 0 ? 0 : incidents.nextNumbers(tx, openings);
        AlertGate.Pass gate = alerts.pass(tx, now);
        List<IntakeResult> results = new ArrayList<>(steps.size());
        // Consecutive openings are written together, before any step that may concern them.
        List<Opening> opened = new ArrayList<>();
        boolean alerted = false;
        for (Step step : steps) {
            if (step.decision() instanceof IncidentRules.Decision.Open) {
                opened.add(new Opening(incident(step, number++, now), step.keyed().integration()));
                results.add(new IntakeResult(IntakeAction.OPENED, step.incidentId()));
                continue;
            }
            alerted |= writeOpened(tx, opened, gate, now);
            Applied<IntakeResult> applied = write(tx, step, gate, now);
            results.add(applied.result());
            alerted |= applied.alerted();
        }
        alerted |= writeOpened(tx, opened, gate, now);
        return new Applied<>(Optional.of(results), alerted);
    }

    /** Distinct and sorted: every batch locks rows in the same order. */
    private static SortedSet<String> openKeys(List<Keyed> events) {
        SortedSet<String> keys = new TreeSet<>();
        for (Keyed event : events) {
            if (event.key() != null) {
                keys.add(IncidentRepository.openKey(event.integration().id(), event.key()));
            }
        }
        return keys;
    }

    /** An incident this transaction opens, with the integration whose thresholds it alerts by. */
    private record Opening(Incident incident, Integration integration) {
    }

    /** Writes one step other than an opening. */
    private Applied<IntakeResult> write(DbExecute tx, Step step, AlertGate.Pass gate, Instant now) {
        Integration integration = step.keyed().integration();
        ParsedEvent event = step.keyed().event();
        String id = step.incidentId();
        return switch (step.decision()) {
            case IncidentRules.Decision.Open o -> throw new IllegalArgumentException("openings are written together");
            case IncidentRules.Decision.Group g -> {
                incidents.group(tx, id, now, g.next());
                if (g.onTimeline()) {
                    incidents.addTimeline(tx, id, now, "grouped", ((ParsedEvent.Trigger) event).title());
                }
                if (g.limitStarts()) {
                    incidents.addTimeline(tx, id, now, "rate_limited", "more than " + IncidentRules.GROUP_LIMIT
                            + " events within " + IncidentRules.GROUP_WINDOW.toSeconds() + " s: further events are "
                            + "counted but not listed until " + IncidentJson.time(g.next().rateLimitedUntil()));
                }
                // Only an integration that waits for several occurrences can reach its threshold here.
                boolean alerted = false;
                if (integration.alertAfter() > 1) {
                    StoredIncident counted = incidents.find(tx, id).orElseThrow();
                    alerted = gate.counted(counted.incident(), counted.alerted(), counted.muted(), integration);
                }
                yield new Applied<>(new IntakeResult(g.onTimeline() ? IntakeAction.GROUPED : IntakeAction.RATE_LIMITED,
                        id), alerted);
            }
            case IncidentRules.Decision.Resolve r -> {
                boolean alerted = resolve(tx, id, now, "auto", ((ParsedEvent.Resolve) event).note(), gate);
                yield new Applied<>(new IntakeResult(IntakeAction.RESOLVED, id), alerted);
            }
            case IncidentRules.Decision.Acknowledge a -> {
                boolean alerted = !a.already() && acknowledge(tx, id, integration.ackTimeoutMinutes(), now,
                        ((ParsedEvent.Acknowledge) event).note(), gate);
                yield new Applied<>(new IntakeResult(IntakeAction.ACKNOWLEDGED, id), alerted);
            }
            case IncidentRules.Decision.Annotate a -> {
                incidents.addTimeline(tx, id, now, "note", ((ParsedEvent.Annotate) event).note());
                yield new Applied<>(new IntakeResult(IntakeAction.IGNORED, id), false);
            }
            case IncidentRules.Decision.Ignore i -> new Applied<>(new IntakeResult(IntakeAction.IGNORED, null), false);
        };
    }

    private static Incident incident(Step step, long number, Instant now) {
        Integration integration = step.keyed().integration();
        ParsedEvent.Trigger trigger = (ParsedEvent.Trigger) step.keyed().event();
        String title = trigger.title().length() <= IncidentRepository.MAX_TITLE ? trigger.title()
                : trigger.title().substring(0, IncidentRepository.MAX_TITLE - 1) + "…";
        return new Incident(step.incidentId(), number, integration.id(), step.keyed().key(), title,
                trigger.body() == null ? null : trigger.body().text(),
                trigger.body() != null && trigger.body().json(),
                trigger.severity() != null ? trigger.severity() : integration.defaultSeverity(),
                trigger.priority(), IncidentStatus.TRIGGERED, 1, now, now, null, null, null);
    }

    /**
     * Inserts the incidents opened since the last write, their timeline entries and their alerts, and empties
     * {@code opened}. An opening of the same key committed by another node since the lookup (or, in a batch that
     * assumed none open, since the event's own) makes the insert fail on the unique open key: the transaction runs
     * again and groups, and its rollback gives the numbers back. Returns true when an alert was queued.
     */
    private boolean writeOpened(DbExecute tx, List<Opening> opened, AlertGate.Pass gate, Instant now) {
        if (opened.isEmpty()) {
            return false;
        }
        List<AlertGate.Pass.Opening> decided = opened.stream()
                .map(o -> gate.opening(o.incident(), o.integration())).toList();
        incidents.insertOpened(tx, decided.stream().map(d -> new IncidentRepository.Opened(d.incident(), d.alert(),
                d.silence() != null, d.remindAt())).toList());
        List<IncidentRepository.NewEntry> timeline = new ArrayList<>(decided.size());
        for (AlertGate.Pass.Opening d : decided) {
            timeline.add(new IncidentRepository.NewEntry(d.incident().id(), now, "opened", d.incident().title()));
            if (d.silence() != null) {
                timeline.add(new IncidentRepository.NewEntry(d.incident().id(), now, "silenced",
                        AlertGate.silencedNote(d.silence())));
            }
        }
        incidents.addTimeline(tx, timeline);
        boolean alerted = false;
        for (AlertGate.Pass.Opening d : decided) {
            alerted |= gate.announce(d);
        }
        opened.clear();
        return alerted;
    }

    private boolean resolve(DbExecute tx, String id, Instant now, String by, String note, AlertGate.Pass gate) {
        if (!incidents.resolve(tx, id, now, by)) {
            return false;
        }
        incidents.addTimeline(tx, id, now, "resolved", note);
        StoredIncident resolved = incidents.find(tx, id).orElseThrow();
        return gate.resolved(resolved.incident(), resolved.alerted());
    }

    private boolean acknowledge(DbExecute tx, String id, Integer timeoutMinutes, Instant now, String note,
                                AlertGate.Pass gate) {
        if (!incidents.acknowledge(tx, id, now, IncidentRules.ackExpiresAt(now, timeoutMinutes))) {
            return false;
        }
        incidents.addTimeline(tx, id, now, "acknowledged", note);
        StoredIncident acknowledged = incidents.find(tx, id).orElseThrow();
        return gate.changed(AlertEvent.ACKNOWLEDGED, acknowledged.incident(), acknowledged.alerted());
    }

    /** {@code POST /v1/incidents/{id}/acknowledge}: idempotent on an acknowledged incident, 409 on a resolved one. */
    Incident acknowledgeById(String id) {
        return run(tx -> {
            StoredIncident stored = incidents.findForUpdate(tx, id)
                    .orElseThrow(() -> new DomainException.NotFound("no incident " + id));
            if (stored.incident().status() == IncidentStatus.RESOLVED) {
                throw new DomainException.Conflict("incident " + id + " is resolved");
            }
            boolean alerted = false;
            if (stored.incident().status() == IncidentStatus.TRIGGERED) {
                Integer timeout = integrations.find(tx, stored.incident().integrationId())
                        .map(i -> i.integration().ackTimeoutMinutes()).orElse(null);
                Instant now = clock.instant();
                alerted = acknowledge(tx, id, timeout, now, "acknowledged through the API", alerts.pass(tx, now));
            }
            return new Applied<>(incidents.find(tx, id).orElseThrow().incident(), alerted);
        });
    }

    /** {@code POST /v1/incidents/{id}/resolve}: 409 on an incident already resolved. */
    Incident resolveById(String id) {
        return run(tx -> {
            StoredIncident stored = incidents.findForUpdate(tx, id)
                    .orElseThrow(() -> new DomainException.NotFound("no incident " + id));
            if (stored.incident().status() == IncidentStatus.RESOLVED) {
                throw new DomainException.Conflict("incident " + id + " is already resolved");
            }
            Instant now = clock.instant();
            boolean alerted = resolve(tx, id, now, "api", "resolved through the API", alerts.pass(tx, now));
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
            StoredIncident reopened = incidents.find(tx, id).orElseThrow();
            if (reopened.alerted()) {
                // Triggered again: reminders resume.
                incidents.setRemindAt(tx, id, AlertRules.nextReminder(now, integrations.find(tx,
                        reopened.incident().integrationId()).map(i -> i.integration().realertMinutes()).orElse(null)));
            }
            boolean alerted = alerts.pass(tx, now).changed(AlertEvent.REOPENED, reopened.incident(), reopened.alerted());
            return new Applied<>(true, alerted);
        });
    }

    /**
     * Sends {@code incident.reminder} for one triggered incident whose reminder is due, unless a silence mutes it,
     * and plans the next; false if another node did, or the incident moved on.
     */
    boolean remind(String id) {
        return run(tx -> {
            Instant now = clock.instant();
            Optional<StoredIncident> stored = incidents.findForUpdate(tx, id);
            if (stored.isEmpty() || stored.get().incident().status() != IncidentStatus.TRIGGERED
                    || stored.get().remindAt() == null || stored.get().remindAt().isAfter(now)) {
                return new Applied<>(false, false);
            }
            Incident incident = stored.get().incident();
            Integer realert = integrations.find(tx, incident.integrationId())
                    .map(i -> i.integration().realertMinutes()).orElse(null);
            incidents.setRemindAt(tx, id, AlertRules.nextReminder(now, realert));
            boolean alerted = alerts.pass(tx, now).changed(AlertEvent.REMINDER, incident, stored.get().alerted());
            if (alerted) {
                incidents.addTimeline(tx, id, now, "reminder", "still triggered");
            }
            return new Applied<>(alerted, alerted);
        });
    }

    /**
     * Once a silence has ended: alerts the triggered incidents it muted that no other silence mutes now. Exactly one
     * node does it for each silence. Returns how many were alerted.
     */
    int endSilence(String silenceId) {
        return run(tx -> {
            Instant now = clock.instant();
            Optional<Silence> ended = silences.claimEnd(tx, silenceId);
            if (ended.isEmpty()) {
                return new Applied<>(0, false);
            }
            AlertGate.Pass gate = alerts.pass(tx, now);
            int alerted = 0;
            for (StoredIncident muted : incidents.mutedTriggered(tx, ended.get().integrationId(),
                    ended.get().dedupKey())) {
                Incident incident = muted.incident();
                Optional<Integration> integration = integrations.find(tx, incident.integrationId())
                        .map(i -> i.integration());
                if (integration.isEmpty() || gate.silencing(incident).isPresent()) {
                    continue;
                }
                incidents.addTimeline(tx, incident.id(), now, "unsilenced", "silence " + silenceId + " ended");
                if (gate.opened(incident, integration.get())) {
                    alerted++;
                }
            }
            return new Applied<>(alerted, alerted > 0);
        });
    }

    /**
     * Applies {@code events} inside the caller's transaction, every key looked up and locked, so that what caused them
     * (a check's flip) and the incidents they open or resolve commit together. Returns true when an alert was queued:
     * the caller calls {@link #wakeAlerts} once it has committed.
     */
    boolean applyWithin(DbExecute tx, List<Keyed> events) {
        return !events.isEmpty() && applyAllOnce(tx, events, Mode.LOOKING_UP).alerted();
    }

    void wakeAlerts() {
        alerts.wake();
    }

    /** Runs {@code work} in a transaction, again while it loses races. */
    private <T> T run(java.util.function.Function<DbExecute, Applied<T>> work) {
        return woken(TransientFailures.retry(() -> Transactions.inTransaction(db, work::apply)));
    }

    /** Runs {@code work} in one transaction, once. */
    private <T> T once(java.util.function.Function<DbExecute, Applied<T>> work) {
        return woken(Transactions.inTransaction(db, work::apply));
    }

    private <T> T woken(Applied<T> applied) {
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
