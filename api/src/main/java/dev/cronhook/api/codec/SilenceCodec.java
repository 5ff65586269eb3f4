package dev.cronhook.api.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cronhook.common.FieldError;
import dev.cronhook.incident.SilenceDraft;
import dev.cronhook.incident.incidents.Silence;
import java.time.Instant;
import java.util.Set;

/** The wire form of silences (PRODUCT.md section 12), both ways. */
public final class SilenceCodec {
    /** The fields a client sets; the API description lists exactly these (and READ_ONLY), a test checks. */
    public static final Set<String> SETTABLE = Set.of("integration_id", "dedup_key", "starts_at", "ends_at",
            "comment");
    public static final Set<String> READ_ONLY = Set.of("id", "active", "created_at");
    private static final FieldError NOT_AN_OBJECT = new FieldError("body", "must be a JSON object");

    private SilenceCodec() {
    }

    public static SilenceDraft decode(JsonNode input) {
        FieldReader in = FieldReader.of(input, NOT_AN_OBJECT, SETTABLE, READ_ONLY);
        return new SilenceDraft(in.text("integration_id"), in.text("dedup_key"), in.text("starts_at"),
                in.text("ends_at"), in.text("comment"), in.errors());
    }

    /** The silence as it is at {@code now}: {@code active} while it mutes alerts. */
    public static ObjectNode silence(Silence silence, Instant now) {
        ObjectNode node = Json.object();
        node.put("id", silence.id());
        node.put("integration_id", silence.integrationId());
        node.put("dedup_key", silence.dedupKey());
        node.put("starts_at", Json.time(silence.startsAt()));
        node.put("ends_at", Json.time(silence.endsAt()));
        node.put("comment", silence.comment());
        node.put("active", silence.activeAt(now));
        node.put("created_at", Json.time(silence.createdAt()));
        return node;
    }
}
