package dev.cronhook.incident;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cronhook.common.DomainException;
import dev.cronhook.common.Page;
import dev.cronhook.delivery.PrefixedIds;
import dev.cronhook.delivery.WebhookSecret;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;

/** {@code /v1/integrations}: create, read, change, delete integrations and rotate their intake tokens. */
public final class IntegrationService {
    static final int DEFAULT_ACK_TIMEOUT_MINUTES = 30;
    static final int MAX_ACK_TIMEOUT_MINUTES = 7 * 24 * 60;
    static final int MAX_SECRET = 500;
    private static final Set<String> SETTABLE = Set.of("name", "type", "signing_secret", "ack_timeout_minutes",
            "default_severity");
    private static final Set<String> READ_ONLY = Set.of("id", "token", "intake_url", "has_signing_secret", "built_in",
            "created_at", "updated_at");

    private final IntegrationRepository integrations;
    private final PrefixedIds ids;
    private final Clock clock;

    IntegrationService(IntegrationRepository integrations, PrefixedIds ids, Clock clock) {
        this.integrations = integrations;
        this.ids = ids;
        this.clock = clock;
    }

    public CreatedIntegration create(JsonNode input) {
        ObjectNode body = InputErrors.requireObject(input);
        InputErrors errors = new InputErrors();
        errors.checkFieldNames(body, SETTABLE, READ_ONLY);
        String name = name(body, errors, true);
        IntegrationType type = null;
        String typeText = errors.string(body, "type");
        if (typeText != null) {
            type = IntegrationType.fromWire(typeText);
            if (type == null) {
                errors.add("type", "must be generic, cronhook, cronicle, healthchecks, crontogo or pagerduty");
            }
        } else if (!body.hasNonNull("type")) {
            errors.add("type", "is required");
        }
        String secret = secret(body, type, errors);
        Integer ackTimeout = body.has("ack_timeout_minutes") ? ackTimeout(body, errors) : Integer.valueOf(DEFAULT_ACK_TIMEOUT_MINUTES);
        Severity severity = body.has("default_severity") ? severity(body, errors) : Severity.SEV2;
        errors.throwIfAny();
        Instant now = clock.instant();
        Integration integration = new Integration(ids.next("int"), name, type, secret != null, ackTimeout,
                severity == null ? Severity.SEV2 : severity, false, now, now);
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

    /** Changes the fields present in {@code input}; {@code null} clears the signing secret or the ack timeout. */
    public Integration update(String id, JsonNode input) {
        StoredIntegration stored = stored(id);
        Integration old = stored.integration();
        ObjectNode body = InputErrors.requireObject(input);
        InputErrors errors = new InputErrors();
        errors.checkFieldNames(body, SETTABLE, READ_ONLY);
        String name = body.has("name") ? name(body, errors, true) : old.name();
        if (body.has("type") && !old.type().wireName().equals(body.path("type").asText())) {
            errors.add("type", "cannot be changed; create another integration");
        }
        String secret = body.has("signing_secret") ? secret(body, old.type(), errors) : stored.signingSecret();
        Integer ackTimeout = body.has("ack_timeout_minutes") ? ackTimeout(body, errors) : old.ackTimeoutMinutes();
        Severity severity = body.has("default_severity") ? severity(body, errors) : old.defaultSeverity();
        if (old.builtIn() && body.has("signing_secret")) {
            errors.add("signing_secret", "of the built-in integration is managed by Cronhook");
        }
        errors.throwIfAny();
        Integration changed = new Integration(old.id(), name, old.type(), secret != null, ackTimeout,
                severity == null ? old.defaultSeverity() : severity, old.builtIn(), old.createdAt(), clock.instant());
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
    BuiltInIntegration ensureBuiltIn(WebhookSecret candidateSecret) {
        StoredIntegration stored = integrations.findBuiltIn().orElseGet(() -> {
            Instant now = clock.instant();
            Integration integration = new Integration(ids.next("int"), "Cronhook jobs", IntegrationType.CRONHOOK,
                    true, DEFAULT_ACK_TIMEOUT_MINUTES, Severity.SEV2, true, now, now);
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

    private static String name(ObjectNode body, InputErrors errors, boolean required) {
        String name = errors.string(body, "name");
        if (name == null || name.isBlank()) {
            if (required) {
                errors.add("name", "is required");
            }
            return null;
        }
        if (name.length() > 200) {
            errors.add("name", "must be at most 200 characters");
        }
        return name;
    }

    private static String secret(ObjectNode body, IntegrationType type, InputErrors errors) {
        String secret = errors.string(body, "signing_secret");
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

    private static Integer ackTimeout(ObjectNode body, InputErrors errors) {
        JsonNode node = body.get("ack_timeout_minutes");
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.canConvertToInt() || !node.isIntegralNumber() || node.intValue() < 1
                || node.intValue() > MAX_ACK_TIMEOUT_MINUTES) {
            errors.add("ack_timeout_minutes", "must be a whole number from 1 to " + MAX_ACK_TIMEOUT_MINUTES
                    + ", or null for none");
            return null;
        }
        return node.intValue();
    }

    static Severity severity(ObjectNode body, InputErrors errors) {
        JsonNode node = body.get("default_severity");
        Severity severity = node != null && node.isTextual() ? Severity.fromWire(node.textValue()) : null;
        if (severity == null) {
            errors.add("default_severity", "must be sev1, sev2 or sev3");
        }
        return severity;
    }
}
