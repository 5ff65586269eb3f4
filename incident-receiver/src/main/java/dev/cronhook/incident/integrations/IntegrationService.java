package dev.cronhook.incident.integrations;

import dev.cronhook.common.DomainException;
import dev.cronhook.common.FieldErrors;
import dev.cronhook.common.Page;
import dev.cronhook.common.PrefixedIds;
import dev.cronhook.delivery.signing.WebhookSecret;
import dev.cronhook.incident.incidents.Severity;
import java.time.Clock;
import java.time.Instant;

/** {@code /v1/integrations}: create, read, change, delete integrations and rotate their intake tokens. */
public final class IntegrationService {
    static final int DEFAULT_ACK_TIMEOUT_MINUTES = 30;
    static final int MAX_ACK_TIMEOUT_MINUTES = 7 * 24 * 60;
    static final int MAX_SECRET = 500;
    /** What an ack timeout must look like. */
    public static final String ACK_TIMEOUT_WANTED = "must be a whole number from 1 to " + MAX_ACK_TIMEOUT_MINUTES
            + ", or null for none";
    public static final String SEVERITY_WANTED = "must be sev1, sev2 or sev3";
    static final int MAX_ALERT_AFTER = 100;
    static final int MAX_REALERT_MINUTES = 7 * 24 * 60;
    public static final String ALERT_AFTER_WANTED = "must be a whole number from 1 to " + MAX_ALERT_AFTER;
    public static final String REALERT_WANTED = "must be a whole number from 1 to " + MAX_REALERT_MINUTES
            + ", or null for no reminders";

    private final IntegrationRepository integrations;
    private final PrefixedIds ids;
    private final Clock clock;

    public IntegrationService(IntegrationRepository integrations, PrefixedIds ids, Clock clock) {
        this.integrations = integrations;
        this.ids = ids;
        this.clock = clock;
    }

    public CreatedIntegration create(IntegrationDraft draft) {
        FieldErrors errors = new FieldErrors();
        errors.addAll(draft.errors());
        String name = name(draft.name().value(), errors);
        IntegrationType type = null;
        String typeText = draft.type().value();
        if (typeText != null) {
            type = IntegrationType.fromWire(typeText);
            if (type == null) {
                errors.add("type", "must be generic, cronhook, cronicle, healthchecks, crontogo, pagerduty or alertmanager");
            }
        } else if (!errors.has("type")) {
            errors.add("type", "is required");
        }
        String secret = secret(draft.signingSecret().value(), type, errors);
        Integer ackTimeout = draft.ackTimeoutMinutes().sent() ? ackTimeout(draft.ackTimeoutMinutes().value(), errors)
                : Integer.valueOf(DEFAULT_ACK_TIMEOUT_MINUTES);
        Severity severity = draft.defaultSeverity().sent() ? severity(draft.defaultSeverity().value(), errors)
                : Severity.SEV2;
        int alertAfter = draft.alertAfter().sent() ? alertAfter(draft.alertAfter().value(), errors) : 1;
        Integer realert = draft.realertMinutes().sent() ? realert(draft.realertMinutes().value(), errors) : null;
        errors.throwIfAny();
        Instant now = clock.instant();
        Integration integration = new Integration(ids.next("int"), name, type, secret != null, ackTimeout,
                severity == null ? Severity.SEV2 : severity, false, alertAfter, realert, now, now);
        String token = IntakeTokens.generate();
        integrations.insert(new StoredIntegration(integration, secret), IntakeTokens.hash(token));
        return new CreatedIntegration(integration, token);
    }

    public Page<Integration> list(String cursor, int limit) {
        return Page.of(integrations.list(cursor, limit + 1).stream().map(StoredIntegration::integration).toList(),
                limit, Integration::id);
    }

    public Integration get(String id) {
        return stored(id).integration();
    }

    /** Changes the fields sent; {@code null} clears the signing secret or the ack timeout. */
    public Integration update(String id, IntegrationDraft draft) {
        StoredIntegration stored = stored(id);
        Integration old = stored.integration();
        FieldErrors errors = new FieldErrors();
        errors.addAll(draft.errors());
        String name = draft.name().sent() ? name(draft.name().value(), errors) : old.name();
        if (draft.type().sent() && !old.type().wireName().equals(draft.type().value())) {
            errors.add("type", "cannot be changed; create another integration");
        }
        String secret = draft.signingSecret().sent() ? secret(draft.signingSecret().value(), old.type(), errors)
                : stored.signingSecret();
        Integer ackTimeout = draft.ackTimeoutMinutes().sent() ? ackTimeout(draft.ackTimeoutMinutes().value(), errors)
                : old.ackTimeoutMinutes();
        Severity severity = draft.defaultSeverity().sent() ? severity(draft.defaultSeverity().value(), errors)
                : old.defaultSeverity();
        int alertAfter = draft.alertAfter().sent() ? alertAfter(draft.alertAfter().value(), errors)
                : old.alertAfter();
        Integer realert = draft.realertMinutes().sent() ? realert(draft.realertMinutes().value(), errors)
                : old.realertMinutes();
        if (old.builtIn() && draft.signingSecret().sent()) {
            errors.add("signing_secret", "of the built-in integration is managed by Cronhook");
        }
        errors.throwIfAny();
        Integration changed = new Integration(old.id(), name, old.type(), secret != null, ackTimeout,
                severity == null ? old.defaultSeverity() : severity, old.builtIn(), alertAfter, realert,
                old.createdAt(), clock.instant());
        if (!integrations.update(new StoredIntegration(changed, secret))) {
            throw new DomainException.NotFound("no integration " + id);
        }
        return changed;
    }

    /** Deletes the integration and its incidents. */
    public void delete(String id) {
        if (!integrations.delete(id)) {
            throw new DomainException.NotFound("no integration " + id);
        }
    }

    /** A new intake token; the old one stops working at once. */
    public CreatedIntegration rotateToken(String id) {
        Integration integration = stored(id).integration();
        if (integration.builtIn()) {
            throw new DomainException.Conflict("the built-in integration's token is derived from its signing "
                    + "secret and cannot be rotated");
        }
        String token = IntakeTokens.generate();
        Instant now = clock.instant();
        if (!integrations.updateTokenHash(id, IntakeTokens.hash(token), now)) {
            throw new DomainException.NotFound("no integration " + id);
        }
        return new CreatedIntegration(get(id), token);
    }

    /** Creates the built-in integration unless some node already did; safe when several nodes start at once. */
    public BuiltInIntegration ensureBuiltIn(WebhookSecret candidateSecret) {
        StoredIntegration stored = integrations.findBuiltIn().orElseGet(() -> {
            Instant now = clock.instant();
            Integration integration = new Integration(ids.next("int"), "Cronhook jobs", IntegrationType.CRONHOOK,
                    true, DEFAULT_ACK_TIMEOUT_MINUTES, Severity.SEV2, true, 1, null, now, now);
            integrations.insertBuiltIn(new StoredIntegration(integration, candidateSecret.value()),
                    IntakeTokens.hash(IntakeTokens.builtIn(candidateSecret)));
            // Ours or the one another node inserted first: either way the stored one is the one.
            return integrations.findBuiltIn().orElseThrow(() ->
                    new IllegalStateException("the built-in integration was not stored"));
        });
        WebhookSecret secret = new WebhookSecret(stored.signingSecret());
        return new BuiltInIntegration(stored.integration().id(), IntakeTokens.builtIn(secret), secret);
    }

    private StoredIntegration stored(String id) {
        return integrations.find(id).orElseThrow(() -> new DomainException.NotFound("no integration " + id));
    }

    private static String name(String name, FieldErrors errors) {
        if (name == null || name.isBlank()) {
            errors.add("name", "is required");
            return null;
        }
        if (name.length() > 200) {
            errors.add("name", "must be at most 200 characters");
        }
        return name;
    }

    private static String secret(String secret, IntegrationType type, FieldErrors errors) {
        if (secret == null) {
            return null;
        }
        if (type != null && !type.verifiesSignatures()) {
            errors.add("signing_secret", "is only checked for cronhook and crontogo integrations");
            return null;
        }
        if (secret.isBlank() || secret.length() > MAX_SECRET) {
            errors.add("signing_secret", "must be 1 to " + MAX_SECRET + " characters");
            return null;
        }
        if (type == IntegrationType.CRONHOOK) {
            try {
                new WebhookSecret(secret);
            } catch (IllegalArgumentException e) {
                errors.add("signing_secret", "must be a whsec_… secret as Cronhook shows it: " + e.getMessage());
                return null;
            }
        }
        return secret;
    }

    /** Sent as null: no ack timeout (a wrong type is named already). */
    private static Integer ackTimeout(Long minutes, FieldErrors errors) {
        if (minutes == null) {
            return null;
        }
        if (minutes < 1 || minutes > MAX_ACK_TIMEOUT_MINUTES) {
            errors.add("ack_timeout_minutes", ACK_TIMEOUT_WANTED);
            return null;
        }
        return minutes.intValue();
    }

    /** Null (sent as null) is the default, 1. */
    private static int alertAfter(Long count, FieldErrors errors) {
        if (count == null) {
            return 1;
        }
        if (count < 1 || count > MAX_ALERT_AFTER) {
            errors.add("alert_after", ALERT_AFTER_WANTED);
            return 1;
        }
        return count.intValue();
    }

    /** Sent as null: no reminders. */
    private static Integer realert(Long minutes, FieldErrors errors) {
        if (minutes == null) {
            return null;
        }
        if (minutes < 1 || minutes > MAX_REALERT_MINUTES) {
            errors.add("realert_minutes", REALERT_WANTED);
            return null;
        }
        return minutes.intValue();
    }

    private static Severity severity(String text, FieldErrors errors) {
        Severity severity = text == null ? null : Severity.fromWire(text);
        if (severity == null && !errors.has("default_severity")) {
            errors.add("default_severity", SEVERITY_WANTED);
        }
        return severity;
    }
}
