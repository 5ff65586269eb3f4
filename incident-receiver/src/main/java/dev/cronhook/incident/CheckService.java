package dev.cronhook.incident;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.cronhook.common.DomainException;
import dev.cronhook.common.FieldErrors;
import dev.cronhook.common.Input;
import dev.cronhook.common.Page;
import dev.cronhook.common.PrefixedIds;
import dev.cronhook.common.cron.CronInput;
import dev.cronhook.common.cron.CronSchedule;
import dev.cronhook.common.db.Transactions;
import dev.cronhook.incident.checks.Check;
import dev.cronhook.incident.checks.CheckRepository;
import dev.cronhook.incident.checks.CheckRules;
import dev.cronhook.incident.checks.CheckSchedule;
import dev.cronhook.incident.checks.CheckStatus;
import dev.cronhook.incident.checks.Flip;
import dev.cronhook.incident.checks.Ping;
import dev.cronhook.incident.incidents.TransientFailures;
import dev.cronhook.incident.integrations.IntegrationRepository;
import dev.cronhook.incident.integrations.StoredIntegration;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code /v1/checks} and the ping URLs (PRODUCT.md section 11): heartbeat checks that a job on someone else's machine
 * pings, and that go down, opening an incident in their integration, when the pings stop.
 */
public final class CheckService {
    static final long MAX_SECONDS = Duration.ofDays(365).toSeconds();
    static final long DEFAULT_PERIOD = Duration.ofDays(1).toSeconds();
    static final long DEFAULT_GRACE = Duration.ofHours(1).toSeconds();
    static final int MAX_NAME = 200;
    static final int MAX_TAGS = 500;
    static final int FLIPS_LISTED = 100;

    private final DbClient db;
    private final CheckRepository checks;
    private final IntegrationRepository integrations;
    private final CheckAlarms alarms;
    private final PrefixedIds ids;
    private final Clock clock;

    CheckService(DbClient db, CheckRepository checks, IntegrationRepository integrations, CheckAlarms alarms,
                 PrefixedIds ids, Clock clock) {
        this.db = db;
        this.checks = checks;
        this.integrations = integrations;
        this.alarms = alarms;
        this.ids = ids;
        this.clock = clock;
    }

    public Check create(CheckDraft draft) {
        FieldErrors errors = new FieldErrors();
        errors.addAll(draft.errors());
        String name = name(draft.name().value(), errors);
        CheckSchedule schedule = schedule(draft, null, errors);
        Duration grace = seconds("grace_seconds", draft.graceSeconds(), DEFAULT_GRACE, errors);
        String integrationId = integration(draft.integrationId(), null, errors);
        String tags = tags(draft.tags().value(), errors);
        errors.throwIfAny();
        if (integrationId == null) {
            integrationId = integrations.findBuiltIn().map(i -> i.integration().id()).orElse(null);
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Check check = new Check(ids.next("hc"), UUID.randomUUID().toString(), name, schedule, grace, integrationId,
                tags, CheckStatus.NEW, null, null, null, null, null, 0, 0, now, now);
        checks.insert(check);
        return check;
    }

    public Page<Check> list(String cursor, int limit) {
        return Page.of(checks.list(cursor, limit + 1), limit, Check::id);
    }

    public Check get(String id) {
        return checks.find(id).orElseThrow(() -> new DomainException.NotFound("no check " + id));
    }

    /** {@code PATCH}: fields left out stay; a new period, cron or grace moves the deadlines at once. */
    public Check update(String id, CheckDraft draft) {
        return change(id, current -> {
            FieldErrors errors = new FieldErrors();
            errors.addAll(draft.errors());
            String name = draft.name().sent() ? name(draft.name().value(), errors) : current.name();
            CheckSchedule schedule = schedule(draft, current.schedule(), errors);
            Duration grace = draft.graceSeconds().sent()
                    ? seconds("grace_seconds", draft.graceSeconds(), DEFAULT_GRACE, errors) : current.grace();
            String integrationId = integration(draft.integrationId(), current.integrationId(), errors);
            String tags = draft.tags().sent() ? tags(draft.tags().value(), errors) : current.tags();
            errors.throwIfAny();
            if (draft.integrationId() instanceof Input.Cleared<String>) {
                integrationId = integrations.findBuiltIn().map(i -> i.integration().id()).orElse(null);
            }
            Check changed = current.withDefinition(name, schedule, grace, integrationId, tags);
            return Optional.of(new CheckRules.Change(CheckRules.redefined(changed, clock.instant()), null,
                    CheckRules.Alarm.NONE, null, null));
        }, (tx, before, after) -> {
            // Its incident lives in the integration it was in: later pings resolve in the new one, so settle it here.
            if (!java.util.Objects.equals(before.integrationId(), after.integrationId())) {
                return alarms.resolve(tx, before, "the check moved to another integration");
            }
            return false;
        });
    }

    /** Deletes the check; an incident of it still open is resolved, since nothing else ever would. */
    public void delete(String id) {
        boolean alerted = Transactions.inTransaction(db, tx -> {
            Check check = checks.find(tx, id).orElseThrow(() -> new DomainException.NotFound("no check " + id));
            checks.delete(tx, id);
            return alarms.resolve(tx, check, "the check was deleted");
        });
        if (alerted) {
            alarms.wake();
        }
    }

    /** No flips and no alerts until it is resumed or pinged; pausing a paused check changes nothing. */
    public Check pause(String id) {
        return change(id, current -> CheckRules.pause(current, clock.instant()));
    }

    /** Back to {@code new}: it waits for its next ping before it can go down again. 409 unless paused. */
    public Check resume(String id) {
        return change(id, current -> {
            if (current.status() != CheckStatus.PAUSED) {
                throw new DomainException.Conflict("check " + id + " is not paused");
            }
            return CheckRules.resume(current, clock.instant());
        });
    }

    /** The last 100 pings, newest first. */
    public List<Ping> pings(String id) {
        get(id);
        return checks.pings(id);
    }

    /** The last 100 status changes, newest first. */
    public List<Flip> flips(String id) {
        get(id);
        return checks.flips(id, FLIPS_LISTED);
    }

    /** Retention: up to {@code limit} pings and as many flips older than {@code cutoff}; returns how many went. */
    public int deleteHistoryBefore(Instant cutoff, int limit) {
        return checks.deletePingsAndFlipsBefore(cutoff, limit);
    }

    /**
     * Records a ping and what it does, with the incident it opens or resolves, in one transaction. False for a key
     * that names no check.
     */
    public boolean ping(PingRequest request) {
        if (!looksLikeUuid(request.pingKey())) {
            return false;
        }
        String key = request.pingKey().toLowerCase(java.util.Locale.ROOT);
        PingDone done = TransientFailures.retry(() -> Transactions.inTransaction(db, tx -> {
            Optional<Check> found = checks.findByPingKeyForUpdate(tx, key);
            if (found.isEmpty()) {
                return new PingDone(false, false);
            }
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            CheckRules.Change change = CheckRules.ping(found.get(), request.kind(), request.exitCode(), now);
            if (!checks.update(tx, change.check())) {
                throw new IllegalStateException("check " + found.get().id() + " changed under its row lock");
            }
            checks.insertPing(tx, new Ping(change.check().id(), change.check().pings(), request.kind(),
                    request.exitCode(), request.method(), request.remoteAddr(), cut(request.userAgent(), 300),
                    body(request.body()), change.durationMs(), now));
            if (change.flip() != null) {
                checks.insertFlips(tx, List.of(change.flip()));
            }
            return new PingDone(true, alarms.raise(tx, List.of(change)));
        }));
        if (done.alerted()) {
            alarms.wake();
        }
        return done.found();
    }

    private record PingDone(boolean found, boolean alerted) {
    }

    /** What else a change writes in its transaction; true when it queued an alert. */
    @FunctionalInterface
    private interface AlsoWrite {
        boolean write(DbExecute tx, Check before, Check after);
    }

    private Check change(String id, Function<Check, Optional<CheckRules.Change>> decide) {
        return change(id, decide, (tx, before, after) -> false);
    }

    /** Applies one change decided on the check as read, again if another writer got there first. */
    private Check change(String id, Function<Check, Optional<CheckRules.Change>> decide, AlsoWrite also) {
        for (int attempt = 1; ; attempt++) {
            Check current = get(id);
            Optional<CheckRules.Change> change = decide.apply(current);
            if (change.isEmpty()) {
                return current;
            }
            boolean[] alerted = new boolean[1];
            Boolean stored = Transactions.inTransaction(db, tx -> {
                if (!checks.update(tx, change.get().check())) {
                    return false;
                }
                if (change.get().flip() != null) {
                    checks.insertFlips(tx, List.of(change.get().flip()));
                }
                alerted[0] = also.write(tx, current, change.get().check());
                return true;
            });
            if (alerted[0]) {
                alarms.wake();
            }
            if (stored) {
                return change.get().check();
            }
            if (attempt == 20) {
                throw new IllegalStateException("check " + id + " kept changing under this change");
            }
        }
    }

    private static String name(String name, FieldErrors errors) {
        if (name == null || name.isBlank()) {
            if (!errors.has("name")) {
                errors.add("name", "is required");
            }
            return null;
        }
        if (name.length() > MAX_NAME) {
            errors.add("name", "must be at most " + MAX_NAME + " characters");
        }
        return name.strip().replace('\u0000', '\uFFFD');
    }

    /**
     * The schedule a create or change asks for: {@code period_seconds} or {@code cron} (with {@code timezone}, UTC
     * by default), not both; a create with neither checks once a day, as Healthchecks.io's default.
     */
    private CheckSchedule schedule(CheckDraft draft, CheckSchedule current, FieldErrors errors) {
        boolean period = draft.periodSeconds() instanceof Input.Given<Long>;
        boolean cron = draft.cron() instanceof Input.Given<String>;
        if (period && cron) {
            errors.add("cron", "give period_seconds or cron, not both");
            return current;
        }
        if (draft.periodSeconds() instanceof Input.Cleared<Long> && !cron && !errors.has("period_seconds")) {
            errors.add("period_seconds", "cannot be cleared; give cron instead to check by a schedule");
        }
        if (draft.cron() instanceof Input.Cleared<String> && !period && !errors.has("cron")) {
            errors.add("cron", "cannot be cleared; give period_seconds instead to check by a period");
        }
        if (period) {
            if (draft.timezone() instanceof Input.Given<String>) {
                errors.add("timezone", "applies to cron checks only");
            }
            return new CheckSchedule.Every(seconds("period_seconds", draft.periodSeconds(), DEFAULT_PERIOD, errors));
        }
        String expression = cron ? draft.cron().value()
                : current instanceof CheckSchedule.Cron c ? c.cron().expression() : null;
        if (expression == null) {
            if (draft.timezone() instanceof Input.Given<String>) {
                errors.add("timezone", "applies to cron checks only");
            }
            return current != null ? current : new CheckSchedule.Every(Duration.ofSeconds(DEFAULT_PERIOD));
        }
        // A new expression on a cron check keeps its zone unless one is given.
        ZoneId zone = draft.timezone() instanceof Input.Given<String> given ? CronInput.zone(given.value(), errors)
                : current instanceof CheckSchedule.Cron c && !draft.timezone().sent() ? c.cron().zone()
                : ZoneId.of("UTC");
        CronSchedule schedule = CronInput.schedule(expression, zone, clock.instant(), errors);
        return schedule == null ? current : new CheckSchedule.Cron(schedule);
    }

    private static Duration seconds(String field, Input<Long> input, long byDefault, FieldErrors errors) {
        if (input instanceof Input.Absent<Long>) {
            return Duration.ofSeconds(byDefault);
        }
        Long value = input.value();
        if (value == null || value < 1 || value > MAX_SECONDS) {
            if (!errors.has(field)) {
                errors.add(field, "must be a whole number of seconds from 1 to " + MAX_SECONDS + " (365 days)");
            }
            return Duration.ofSeconds(byDefault);
        }
        return Duration.ofSeconds(value);
    }

    /** The integration a check alerts in: the one named, or (null) the built-in one. */
    private String integration(Input<String> input, String current, FieldErrors errors) {
        if (!(input instanceof Input.Given<String> given)) {
            return input.sent() ? null : current;
        }
        Optional<StoredIntegration> found = PrefixedIds.looksLike("int", given.value())
                ? integrations.find(given.value()) : Optional.empty();
        if (found.isEmpty() && !errors.has("integration_id")) {
            errors.add("integration_id", "names no integration");
        }
        return given.value();
    }

    /** Space-separated words, as Healthchecks.io's tags; stored with single spaces. */
    private static String tags(String tags, FieldErrors errors) {
        if (tags == null || tags.isBlank()) {
            return "";
        }
        String normal = Arrays.stream(tags.strip().split("\\s+")).collect(Collectors.joining(" "));
        if (normal.length() > MAX_TAGS) {
            errors.add("tags", "must be at most " + MAX_TAGS + " characters");
        }
        return normal.replace('\u0000', '\uFFFD');
    }

    private static String body(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        // Lossy on purpose, as response bodies are stored: a cut character or binary becomes U+FFFD, and so does NUL,
        // which PostgreSQL text cannot hold.
        return new String(body, 0, Math.min(body.length, Ping.MAX_BODY_BYTES), UTF_8).replace('\u0000', '\uFFFD');
    }

    private static String cut(String text, int max) {
        return text == null ? null : (text.length() <= max ? text : text.substring(0, max)).replace('\u0000', '\uFFFD');
    }

    static boolean looksLikeUuid(String key) {
        if (key == null || key.length() != 36) {
            return false;
        }
        try {
            return UUID.fromString(key).toString().equals(key.toLowerCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
