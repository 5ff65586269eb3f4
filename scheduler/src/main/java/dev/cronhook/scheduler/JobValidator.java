package dev.cronhook.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cronhook.common.DomainException;
import dev.cronhook.common.FieldError;
import dev.cronhook.delivery.OutgoingRequest;
import dev.cronhook.scheduler.cron.CronSchedule;
import dev.cronhook.scheduler.cron.InvalidCronException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns the JSON of a create or patch request into a {@link JobDefinition}, or names every field that is wrong.
 * Pure apart from the clock (a {@code run_at} may not lie in the past).
 */
final class JobValidator {
    static final int MAX_HEADERS = 50;
    /** The width of the jobs.cron column. */
    static final int MAX_CRON_CHARS = 200;
    static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
    private static final Set<String> SETTABLE = Set.of("name", "url", "method", "headers", "body", "cron", "timezone",
            "run_at", "timeout_seconds", "enabled");
    /** Fields of the job's own representation: a client that sends a fetched job back unchanged is not wrong. */
    private static final Instant LATEST_RUN_AT = Instant.parse("9999-12-31T23:59:59.999Z");
    private static final Set<String> READ_ONLY = Set.of("id", "type", "status", "next_run_at", "created_at", "updated_at");
    /** Set by Cronhook itself, or hop-by-hop headers that an HTTP client owns. */
    private static final Set<String> RESERVED_HEADERS = Set.of("host", "content-length", "user-agent", "connection",
            "transfer-encoding", "keep-alive", "upgrade", "expect", "te", "trailer", "proxy-connection",
            "proxy-authorization");
    /** A value longer than this is beyond what common servers accept in one header line (8 KiB). */
    private static final int MAX_HEADER_VALUE_CHARS = 8192;
    private static final Set<String> ZONES = ZoneId.getAvailableZoneIds();
    private static final ZoneId UTC = ZoneId.of("UTC");

    private final Clock clock;
    private final ObjectMapper json;
    private final UrlGuard urlGuard;

    JobValidator(Clock clock, ObjectMapper json, UrlGuard urlGuard) {
        this.clock = clock;
        this.json = json;
        this.urlGuard = urlGuard;
    }

    JobDefinition forCreate(JsonNode input) {
        ObjectNode body = requireObject(input);
        FieldErrors errors = new FieldErrors();
        checkFieldNames(body, errors);
        JobDefinition definition = new Draft(errors, body).build(null);
        errors.throwIfAny();
        return definition;
    }

    JobDefinition forPatch(JobDefinition current, JsonNode input) {
        ObjectNode body = requireObject(input);
        FieldErrors errors = new FieldErrors();
        checkFieldNames(body, errors);
        JobDefinition definition = new Draft(errors, body).build(current);
        errors.throwIfAny();
        return definition;
    }

    private static ObjectNode requireObject(JsonNode input) {
        if (input instanceof ObjectNode object) {
            return object;
        }
        throw new DomainException.Invalid(List.of(new FieldError("", "the request body must be a JSON object")));
    }

    private static void checkFieldNames(ObjectNode body, FieldErrors errors) {
        Iterator<String> names = body.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!SETTABLE.contains(name) && !READ_ONLY.contains(name)) {
                errors.add(name, "unknown field");
            }
        }
    }

    /** Reads one request against the current definition (null on create): absent keeps, null clears. */
    private final class Draft {
        private final FieldErrors errors;
        private final ObjectNode body;

        Draft(FieldErrors errors, ObjectNode body) {
            this.errors = errors;
            this.body = body;
        }

        JobDefinition build(JobDefinition current) {
            String name = has("name") ? name() : current == null ? required("name") : current.name();
            URI url = has("url") ? url() : current == null ? requiredUrl() : current.url();
            String method = has("method") ? method() : current == null ? "POST" : current.method();
            Map<String, String> headers = has("headers") ? headers() : current == null ? Map.of() : current.headers();
            JobBody jobBody = has("body") ? jobBody() : current == null ? null : current.body();
            int timeout = has("timeout_seconds") ? timeout() : current == null ? 30 : current.timeoutSeconds();
            boolean enabled = has("enabled") ? enabled() : current == null || current.enabled();

            String cron = has("cron") ? cron() : current == null ? null : current.cron();
            Instant runAt = has("run_at") ? runAt() : current == null ? null : current.runAt();
            ZoneId zone = has("timezone") ? zone() : current == null || current.zone() == null ? null : current.zone();

            if (cron != null && runAt != null) {
                errors.add(has("run_at") ? "run_at" : "cron", "give either cron or run_at, not both");
                return null;
            }
            if (cron == null && runAt == null) {
                if (!errors.has("cron") && !errors.has("run_at")) {
                    errors.add("cron", "one of cron or run_at is required");
                }
                return null;
            }
            if (runAt != null && has("timezone") && !body.get("timezone").isNull()) {
                errors.add("timezone", "timezone applies to cron jobs only; give run_at with its UTC offset");
            }
            if (cron != null) {
                zone = zone == null ? UTC : zone;
                if (has("cron") || has("timezone")) {
                    checkCron(cron, zone);
                }
            } else {
                zone = null;
            }
            if (errors.any()) {
                return null;
            }
            return new JobDefinition(name, url, method, headers, jobBody, cron, zone, runAt, timeout, enabled);
        }

        private boolean has(String field) {
            return body.has(field);
        }

        private String text(String field) {
            JsonNode node = body.get(field);
            if (node.isNull()) {
                return null;
            }
            if (!node.isTextual()) {
                errors.add(field, "must be a string");
                return null;
            }
            return node.textValue();
        }

        private String cron() {
            String cron = text("cron");
            if (cron != null && cron.length() > MAX_CRON_CHARS) {
                errors.add("cron", "must be at most " + MAX_CRON_CHARS + " characters");
                return null;
            }
            return cron;
        }

        private String required(String field) {
            errors.add(field, "is required");
            return null;
        }

        private URI requiredUrl() {
            errors.add("url", "is required");
            return null;
        }

        private String name() {
            String name = text("name");
            if (name == null) {
                if (!errors.has("name")) {
                    errors.add("name", "is required");
                }
            } else if (name.isBlank()) {
                errors.add("name", "must not be blank");
            } else if (name.length() > 200) {
                errors.add("name", "must be at most 200 characters");
            }
            return name;
        }

        private URI url() {
            String raw = text("url");
            if (raw == null) {
                if (!errors.has("url")) {
                    errors.add("url", "is required");
                }
                return null;
            }
            return TargetUrl.parse("url", raw, errors, urlGuard);
        }

        private String method() {
            String method = text("method");
            if (method == null) {
                if (!errors.has("method")) {
                    errors.add("method", "must be one of GET, POST, PUT, PATCH, DELETE");
                }
                return null;
            }
            String upper = method.toUpperCase(Locale.ROOT);
            if (!METHODS.contains(upper)) {
                errors.add("method", "must be one of GET, POST, PUT, PATCH, DELETE");
            }
            return upper;
        }

        private Map<String, String> headers() {
            JsonNode node = body.get("headers");
            if (node.isNull()) {
                return Map.of();
            }
            if (!node.isObject()) {
                errors.add("headers", "must be an object of header names to string values");
                return Map.of();
            }
            if (node.size() > MAX_HEADERS) {
                errors.add("headers", "must have at most " + MAX_HEADERS + " entries");
                return Map.of();
            }
            Map<String, String> headers = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                String name = field.getKey();
                String path = "headers." + name;
                String lower = name.toLowerCase(Locale.ROOT);
                if (!isToken(name)) {
                    errors.add(path, "is not a valid header name");
                } else if (RESERVED_HEADERS.contains(lower) || OutgoingRequest.isReservedHeader(name)
                        || lower.startsWith("x-cronhook-") || lower.startsWith("webhook-")) {
                    errors.add(path, "is set by Cronhook and cannot be overridden");
                } else if (!field.getValue().isTextual()) {
                    errors.add(path, "must be a string");
                } else if (field.getValue().textValue().chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
                    errors.add(path, "must not contain line breaks");
                } else if (field.getValue().textValue().length() > MAX_HEADER_VALUE_CHARS) {
                    errors.add(path, "must be at most " + MAX_HEADER_VALUE_CHARS + " characters");
                } else if (!OutgoingRequest.isValidHeaderValue(field.getValue().textValue())) {
                    // Checked now with the sender's own rule: else no run of the job could be sent.
                    errors.add(path, "must contain only visible ASCII characters, spaces and tabs");
                } else {
                    headers.put(name, field.getValue().textValue());
                }
            }
            return headers;
        }

        private JobBody jobBody() {
            JsonNode node = body.get("body");
            if (node.isNull()) {
                return null;
            }
            JobBody result;
            if (node.isTextual()) {
                result = new JobBody(node.textValue(), false);
            } else {
                try {
                    result = new JobBody(json.writeValueAsString(node), true);
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    errors.add("body", "cannot be written as JSON");
                    return null;
                }
            }
            if (result.text().getBytes(StandardCharsets.UTF_8).length > JobBody.MAX_BYTES) {
                errors.add("body", "must be at most 64 KiB");
            }
            return result;
        }

        private int timeout() {
            JsonNode node = body.get("timeout_seconds");
            if (!node.isIntegralNumber() || node.asLong() < 1 || node.asLong() > 120) {
                errors.add("timeout_seconds", "must be a whole number from 1 to 120");
                return 30;
            }
            return node.intValue();
        }

        private boolean enabled() {
            JsonNode node = body.get("enabled");
            if (!node.isBoolean()) {
                errors.add("enabled", "must be true or false");
                return true;
            }
            return node.booleanValue();
        }

        private Instant runAt() {
            String raw = text("run_at");
            if (raw == null) {
                return null;
            }
            Instant runAt;
            try {
                runAt = OffsetDateTime.parse(raw).toInstant();
            } catch (DateTimeParseException e) {
                errors.add("run_at", "must be an RFC 3339 time with offset, such as 2026-11-22T10:00:00Z");
                return null;
            }
            if (runAt.isBefore(clock.instant())) {
                errors.add("run_at", "must not be in the past");
                return null;
            }
            if (runAt.isAfter(LATEST_RUN_AT)) {
                // The databases keep timestamps up to year 9999 (H2) and 294276 (PostgreSQL); none is a real plan.
                errors.add("run_at", "must be before the year 10000");
                return null;
            }
            return runAt;
        }

        private ZoneId zone() {
            String raw = text("timezone");
            if (raw == null) {
                return null;
            }
            if (!ZONES.contains(raw) && !raw.equals("UTC")) {
                errors.add("timezone", "must be an IANA time zone such as Europe/Berlin or UTC");
                return null;
            }
            try {
                return ZoneId.of(raw);
            } catch (DateTimeException e) {
                errors.add("timezone", "must be an IANA time zone such as Europe/Berlin or UTC");
                return null;
            }
        }

        private void checkCron(String cron, ZoneId zone) {
            if (errors.has("timezone")) {
                return;
            }
            try {
                CronSchedule schedule = CronSchedule.parse(cron, zone);
                if (schedule.nextAfter(clock.instant()).isEmpty()) {
                    errors.add("cron", "never fires (no matching date in the next years)");
                }
            } catch (InvalidCronException e) {
                errors.add("cron", e.getMessage());
            }
        }
    }

    private static boolean isToken(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
