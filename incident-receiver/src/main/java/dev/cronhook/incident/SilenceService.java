package dev.cronhook.incident;

import dev.cronhook.common.DomainException;
import dev.cronhook.common.FieldErrors;
import dev.cronhook.common.Page;
import dev.cronhook.common.PrefixedIds;
import dev.cronhook.incident.incidents.Silence;
import dev.cronhook.incident.incidents.SilenceRepository;
import dev.cronhook.incident.integrations.IntegrationRepository;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * {@code /v1/silences} (PRODUCT.md section 12): windows in which matching incidents send no alerts. Ending one (its
 * {@code ends_at} passing, or {@code DELETE}) alerts the still-triggered incidents it muted.
 */
public final class SilenceService {
    static final int MAX_COMMENT = 500;
    static final int MAX_KEY = 500;
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");
    private static final Instant EARLIEST = Instant.EPOCH;
    private static final String TIME_WANTED = "must be an RFC 3339 date-time with an offset, e.g. 2026-12-01T10:00:00Z";

    private final SilenceRepository silences;
    private final IntegrationRepository integrations;
    private final IncidentEngine engine;
    private final PrefixedIds ids;
    private final Clock clock;

    SilenceService(SilenceRepository silences, IntegrationRepository integrations, IncidentEngine engine,
                   PrefixedIds ids, Clock clock) {
        this.silences = silences;
        this.integrations = integrations;
        this.engine = engine;
        this.ids = ids;
        this.clock = clock;
    }

    public Silence create(SilenceDraft draft) {
        FieldErrors errors = new FieldErrors();
        errors.addAll(draft.errors());
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String integrationId = draft.integrationId().value();
        if (integrationId != null && integrations.find(integrationId).isEmpty() && !errors.has("integration_id")) {
            errors.add("integration_id", "names no integration");
        }
        String dedupKey = draft.dedupKey().value();
        if (dedupKey != null && (dedupKey.isBlank() || dedupKey.length() > MAX_KEY)) {
            errors.add("dedup_key", "must be 1 to " + MAX_KEY + " characters, or left out for every key");
        }
        Instant startsAt = draft.startsAt().value() == null ? now : time("starts_at", draft.startsAt().value(), errors);
        Instant endsAt = null;
        if (draft.endsAt().value() == null) {
            if (!errors.has("ends_at")) {
                errors.add("ends_at", "is required");
            }
        } else {
            endsAt = time("ends_at", draft.endsAt().value(), errors);
            if (endsAt != null && !endsAt.isAfter(now)) {
                errors.add("ends_at", "must be in the future");
            } else if (endsAt != null && startsAt != null && !endsAt.isAfter(startsAt)) {
                errors.add("ends_at", "must be after starts_at");
            }
        }
        String comment = draft.comment().value();
        if (comment == null || comment.isBlank()) {
            if (!errors.has("comment")) {
                errors.add("comment", "is required: say why alerts are muted");
            }
        } else if (comment.length() > MAX_COMMENT) {
            errors.add("comment", "must be at most " + MAX_COMMENT + " characters");
        }
        errors.throwIfAny();
        Silence silence = new Silence(ids.next("sil"), integrationId, dedupKey, startsAt, endsAt, comment.strip(), now);
        silences.insert(silence);
        return silence;
    }

    public Page<Silence> list(String cursor, int limit) {
        return Page.of(silences.list(cursor, limit + 1), limit, Silence::id);
    }

    public Silence get(String id) {
        return silences.find(id).orElseThrow(() -> new DomainException.NotFound("no silence " + id));
    }

    /** Ends the silence now (a silence over already stays as it is) and alerts what it muted. */
    public void end(String id) {
        get(id);
        silences.end(id, clock.instant());
        engine.endSilence(id);
    }

    /** Milliseconds, as stored and shown; the databases hold no year past 9999. */
    private static Instant time(String field, String text, FieldErrors errors) {
        Instant instant;
        try {
            instant = OffsetDateTime.parse(text).toInstant().truncatedTo(ChronoUnit.MILLIS);
        } catch (DateTimeParseException e) {
            errors.add(field, TIME_WANTED);
            return null;
        }
        if (instant.isAfter(LATEST) || instant.isBefore(EARLIEST)) {
            errors.add(field, "must lie between the years 1970 and 9999");
            return null;
        }
        return instant;
    }
}
