package dev.cronhook.api.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cronhook.common.DomainException;
import dev.cronhook.common.FieldError;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** {@code POST /v1/cron/preview}: {@code {cron, timezone?, count?}} in, the next runs out. */
public final class CronCodec {
    /** Runs previewed when {@code count} is left out. */
    public static final int DEFAULT_COUNT = 5;
    private static final FieldError NOT_AN_OBJECT = new FieldError("body", "must be a JSON object");

    /** A preview asked for; {@code timezone} null for UTC. */
    public record Preview(String cron, String timezone, int count) {
    }

    private CronCodec() {
    }

    /** @throws DomainException.Invalid naming each field of the wrong type or unknown */
    public static Preview decode(JsonNode input) {
        FieldReader in = FieldReader.of(input, NOT_AN_OBJECT, Set.of("cron", "timezone", "count"), Set.of());
        String cron = in.text("cron").value();
        String timezone = in.text("timezone").value();
        Long count = in.whole("count", "must be a whole number").value();
        if (!in.errors().isEmpty()) {
            throw new DomainException.Invalid(in.errors());
        }
        return new Preview(cron, timezone, count == null ? DEFAULT_COUNT
                : (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, count)));
    }

    public static ObjectNode preview(Preview preview, List<Instant> runs) {
        ObjectNode node = Json.object();
        node.put("cron", preview.cron());
        node.put("timezone", preview.timezone() == null ? "UTC" : preview.timezone());
        var next = node.putArray("next_runs");
        runs.forEach(run -> next.add(Json.time(run)));
        return node;
    }
}
