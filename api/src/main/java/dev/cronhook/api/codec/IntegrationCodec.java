package dev.cronhook.api.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cronhook.common.FieldError;
import dev.cronhook.incident.integrations.CreatedIntegration;
import dev.cronhook.incident.integrations.Integration;
import dev.cronhook.incident.integrations.IntegrationDraft;
import dev.cronhook.incident.integrations.IntegrationService;
import java.util.Set;

/** The wire form of integrations (PRODUCT.md section 8), both ways. */
public final class IntegrationCodec {
    /** The fields a client sets; the API description lists exactly these (and READ_ONLY), a test checks. */
    public static final Set<String> SETTABLE = Set.of("name", "type", "signing_secret", "ack_timeout_minutes",
            "default_severity", "alert_after", "realert_minutes");
    public static final Set<String> READ_ONLY = Set.of("id", "token", "intake_url", "has_signing_secret", "built_in",
            "created_at", "updated_at");
    private static final FieldError NOT_AN_OBJECT = new FieldError("body", "must be a JSON object");

    private IntegrationCodec() {
    }

    /** A create or change request; what it says is checked by the integration service. */
    public static IntegrationDraft decode(JsonNode input) {
        FieldReader in = FieldReader.of(input, NOT_AN_OBJECT, SETTABLE, READ_ONLY);
        return new IntegrationDraft(in.text("name"), in.text("type"), in.text("signing_secret"),
                in.whole("ack_timeout_minutes", IntegrationService.ACK_TIMEOUT_WANTED),
                in.text("default_severity", IntegrationService.SEVERITY_WANTED),
                in.whole("alert_after", IntegrationService.ALERT_AFTER_WANTED),
                in.whole("realert_minutes", IntegrationService.REALERT_WANTED), in.errors());
    }

    public static ObjectNode integration(Integration integration) {
        ObjectNode node = Json.object();
        node.put("id", integration.id());
        node.put("name", integration.name());
        node.put("type", integration.type().wireName());
        node.put("has_signing_secret", integration.hasSigningSecret());
        node.put("ack_timeout_minutes", integration.ackTimeoutMinutes());
        node.put("default_severity", integration.defaultSeverity().wireName());
        node.put("built_in", integration.builtIn());
        node.put("alert_after", integration.alertAfter());
        node.put("realert_minutes", integration.realertMinutes());
        node.put("created_at", Json.time(integration.createdAt()));
        node.put("updated_at", Json.time(integration.updatedAt()));
        return node;
    }

    /** The integration as shown once, right after it was made or its token rotated. */
    public static ObjectNode integrationWithToken(CreatedIntegration created, String baseUrl) {
        ObjectNode node = integration(created.integration());
        node.put("token", created.token());
        node.put("intake_url", baseUrl + "/hooks/" + created.token());
        return node;
    }
}
