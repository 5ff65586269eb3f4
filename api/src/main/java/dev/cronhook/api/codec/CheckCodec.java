package dev.cronhook.api.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cronhook.common.FieldError;
import dev.cronhook.incident.CheckDraft;
import dev.cronhook.incident.checks.Check;
import dev.cronhook.incident.checks.CheckRules;
import dev.cronhook.incident.checks.CheckSchedule;
import dev.cronhook.incident.checks.Flip;
import dev.cronhook.incident.checks.Ping;
import java.time.Instant;
import java.util.Set;

/** The wire form of heartbeat checks, their pings and flips (PRODUCT.md section 11), both ways. */
public final class CheckCodec {
    /** The fields a client sets; the API description lists exactly these (and READ_ONLY), a test checks. */
    public static final Set<String> SETTABLE = Set.of("name", "period_seconds", "cron", "timezone", "grace_seconds",
            "integration_id", "tags");
    public static final Set<String> READ_ONLY = Set.of("id", "ping_url", "status", "last_ping_at", "last_start_at",
            "last_duration_ms", "next_expected_at", "pings", "created_at", "updated_at");
    private static final FieldError NOT_AN_OBJECT = new FieldError("body", "must be a JSON object");
    private static final String SECONDS = "must be a whole number of seconds";

    private CheckCodec() {
    }

    public static CheckDraft decode(JsonNode input) {
        FieldReader in = FieldReader.of(input, NOT_AN_OBJECT, SETTABLE, READ_ONLY);
        return new CheckDraft(in.text("name"), in.whole("period_seconds", SECONDS), in.text("cron"),
                in.text("timezone"), in.whole("grace_seconds", SECONDS), in.text("integration_id"), in.text("tags"),
                in.errors());
    }

    /**
     * The check as it is at {@code now} (an up check past its expected time reads {@code grace}).
     *
     * @param baseUrl where ping URLs point: the public URL, or the scheme and host the client used; null to leave the
     *                ping URL out (a read key's view)
     */
    public static ObjectNode check(Check check, Instant now, String baseUrl) {
        ObjectNode node = Json.object();
        node.put("id", check.id());
        node.put("name", check.name());
        node.put("ping_url", baseUrl == null ? null : baseUrl + "/ping/" + check.pingKey());
        switch (check.schedule()) {
            case CheckSchedule.Every every -> {
                node.put("period_seconds", every.period().toSeconds());
                node.putNull("cron");
                node.putNull("timezone");
            }
            case CheckSchedule.Cron cron -> {
                node.putNull("period_seconds");
                node.put("cron", cron.cron().expression());
                node.put("timezone", cron.cron().zone().getId());
            }
        }
        node.put("grace_seconds", check.grace().toSeconds());
        node.put("integration_id", check.integrationId());
        node.put("tags", check.tags());
        node.put("status", CheckRules.shown(check, now).wireName());
        node.put("last_ping_at", Json.time(check.lastPingAt()));
        node.put("last_start_at", Json.time(check.lastStartAt()));
        node.put("last_duration_ms", check.lastDurationMs());
        node.put("next_expected_at", Json.time(check.nextExpectedAt()));
        node.put("pings", check.pings());
        node.put("created_at", Json.time(check.createdAt()));
        node.put("updated_at", Json.time(check.updatedAt()));
        return node;
    }

    public static ObjectNode ping(Ping ping) {
        ObjectNode node = Json.object();
        node.put("n", ping.number());
        node.put("type", ping.kind().wireName());
        node.put("exit_code", ping.exitCode());
        node.put("method", ping.method());
        node.put("remote_addr", ping.remoteAddr());
        node.put("user_agent", ping.userAgent());
        node.put("body", ping.body());
        node.put("duration_ms", ping.durationMs());
        node.put("created_at", Json.time(ping.createdAt()));
        return node;
    }

    public static ObjectNode flip(Flip flip) {
        ObjectNode node = Json.object();
        node.put("from", flip.from().wireName());
        node.put("to", flip.to().wireName());
        node.put("reason", flip.reason());
        node.put("created_at", Json.time(flip.createdAt()));
        return node;
    }
}
