package dev.cronhook.scheduler.jobs;

import dev.cronhook.common.FieldErrors;
import dev.cronhook.common.Input;
import dev.cronhook.delivery.http.OutgoingRequest;
import dev.cronhook.common.cron.CronInput;
import dev.cronhook.common.cron.CronSchedule;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a decoded create or change request into a {@link JobDefinition}, or names every field that is wrong. Pure
 * apart from the clock (a {@code run_at} may not lie in the past).
 */
public final class JobValidator {
    static final int MAX_HEADERS = 50;
    /** The width of the jobs.cron column. */
    static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
    private static final Instant LATEST_INSTANT = Instant.parse("9999-12-31T23:59:59.999Z");
    /** Set by Cronhook itself, or hop-by-hop headers that an HTTP client owns. */
    private static final Set<String> RESERVED_HEADERS = Set.of("host", "content-length", "user-agent", "connection",
            "transfer-encoding", "keep-alive", "upgrade", "expect", "te", "trailer", "proxy-connection",
            "proxy-authorization");
    /** A value longer than this is beyond what common servers accept in one header line (8 KiB). */
    private static final int MAX_HEADER_VALUE_CHARS = 8192;
    static final int MAX_PAUSE_AFTER_FAILURES = 1000;
    public static final String JITTER_RULE = "must be a whole number of seconds from 0 to " + Jitter.MAX_SECONDS;
    public static final String PAUSE_AFTER_FAILURES_RULE = "must be null or a whole number from 1 to "
            + MAX_PAUSE_AFTER_FAILURES;
    private static final ZoneId UTC = ZoneId.of("UTC");

    private final Clock clock;
    private final UrlGuard urlGuard;
    private final boolean callbacksReachable;

    /** {@code callbacksReachable}: the server knows its public URL, which callback URLs are built from. */
    public JobValidator(Clock clock, UrlGuard urlGuard, boolean callbacksReachable) {
        this.clock = clock;
        this.urlGuard = urlGuard;
        this.callbacksReachable = callbacksReachable;
    }

    public JobDefinition forCreate(JobDraft draft) {
        return forPatch(null, draft);
    }

    /** {@code current} is null on create: then what is left out takes its default, or is required. */
    public JobDefinition forPatch(JobDefinition current, JobDraft draft) {
        FieldErrors errors = new FieldErrors();
        errors.addAll(draft.errors());
        JobDefinition definition = new Check(errors, draft).build(current);
        errors.throwIfAny();
        return definition;
    }

    /** Checks one request against the current definition (null on create): left out keeps, null clears. */
    private final class Check {
        private final FieldErrors errors;
        private final JobDraft draft;

        Check(FieldErrors errors, JobDraft draft) {
            this.errors = errors;
            this.draft = draft;
        }

        JobDefinition build(JobDefinition current) {
            String name = draft.name().sent() ? name() : current == null ? required("name") : current.name();
            URI url = draft.url().sent() ? url() : current == null ? requiredUrl() : current.url();
            String method = draft.method().sent() ? method() : current == null ? "POST" : current.method();
            Map<String, String> headers = draft.headers().sent() ? headers()
                    : current == null ? Map.of() : current.headers();
            JobBody jobBody = draft.body().sent() ? jobBody() : current == null ? null : current.body();
            int timeout = draft.timeoutSeconds().sent() ? timeout() : current == null ? 30 : current.timeoutSeconds();
            boolean enabled = draft.enabled().sent() ? enabled() : current == null || current.enabled();

            String cron = draft.cron().sent() ? cron() : current == null ? null : current.cron();
            Instant runAt = draft.runAt().sent() ? runAt() : current == null ? null : current.runAt();
            Instant endAt = draft.endAt().sent() ? endAt(current) : current == null ? null : current.endAt();
            Integer pauseAfter = draft.pauseAfterFailures().sent() ? pauseAfterFailures()
                    : current == null ? null : current.pauseAfterFailures();
            Concurrency concurrency = draft.concurrency().sent() ? concurrency()
                    : current == null ? Concurrency.ALLOW : current.concurrency();
            CatchUp catchUp = draft.catchUp().sent() ? catchUp() : current == null ? CatchUp.LATEST : current.catchUp();
            int jitter = draft.jitterSeconds().sent() ? jitterSeconds() : current == null ? 0 : current.jitterSeconds();
            Completion completion = draft.completion().sent() ? completion()
                    : current == null ? Completion.RESPONSE : current.completion();
            int callbackTimeout = draft.callbackTimeoutSeconds().sent() ? callbackTimeoutSeconds()
                    : current == null ? Completion.DEFAULT_CALLBACK_TIMEOUT_SECONDS : current.callbackTimeoutSeconds();
            ZoneId zone = draft.timezone().sent() ? zone() : current == null || current.zone() == null ? null
                    : current.zone();

            if (cron != null && runAt != null) {
                errors.add(draft.runAt().sent() ? "run_at" : "cron", "give either cron or run_at, not both");
                return null;
            }
            if (cron == null && runAt == null) {
                if (!errors.has("cron") && !errors.has("run_at")) {
                    errors.add("cron", "one of cron or run_at is required");
                }
                return null;
            }
            if (runAt != null && draft.timezone() instanceof Input.Given<String>) {
                errors.add("timezone", "timezone applies to cron jobs only; give run_at with its UTC offset");
            }
            if (runAt != null && draft.endAt() instanceof Input.Given<String> && !errors.has("end_at")) {
                errors.add("end_at", "end_at applies to cron jobs only");
            }
            if (runAt != null && draft.pauseAfterFailures() instanceof Input.Given<Long>
                    && !errors.has("pause_after_failures")) {
                // A one-time job retries instead, and has only one execution to fail.
                errors.add("pause_after_failures", "pause_after_failures applies to cron jobs only");
            }
            if (runAt != null && draft.catchUp() instanceof Input.Given<String> && !errors.has("catch_up")) {
                // A one-time job past its time runs once when a node is back, whatever this says.
                errors.add("catch_up", "catch_up applies to cron jobs only");
            }
            if (runAt != null && draft.jitterSeconds().value() != null && draft.jitterSeconds().value() != 0
                    && !errors.has("jitter_seconds")) {
                // A one-time job's run_at is the instant the user chose; spread it by choosing another.
                errors.add("jitter_seconds", "jitter_seconds applies to cron jobs only");
            }
            if (cron != null) {
                zone = zone == null ? UTC : zone;
                if (draft.cron().sent() || draft.timezone().sent()) {
                    checkCron(cron, zone);
                }
                if (jitter > 0 && !errors.has("cron") && !errors.has("timezone") && !errors.has("jitter_seconds")) {
                    checkJitter(jitter, cron, zone);
                }
            } else {
                // A job changed from cron to one-time drops what only a schedule has.
                zone = null;
                endAt = null;
                pauseAfter = null;
                catchUp = CatchUp.LATEST;
                jitter = 0;
            }
            if (errors.any()) {
                return null;
            }
            return new JobDefinition(name, url, method, headers, jobBody, cron, zone, runAt, endAt, pauseAfter,
                    concurrency, catchUp, jitter, completion, callbackTimeout, timeout, enabled);
        }

        private String cron() {
            String cron = draft.cron().value();
            if (cron != null && cron.length() > CronInput.MAX_CHARS) {
                errors.add("cron", "must be at most " + CronInput.MAX_CHARS + " characters");
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
            String name = draft.name().value();
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
            String raw = draft.url().value();
            if (raw == null) {
                if (!errors.has("url")) {
                    errors.add("url", "is required");
                }
                return null;
            }
            return TargetUrl.parse("url", raw, errors, urlGuard);
        }

        private String method() {
            String method = draft.method().value();
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
            Map<String, String> sent = draft.headers().value();
            if (sent == null) {
                return Map.of();
            }
            if (sent.size() > MAX_HEADERS) {
                errors.add("headers", "must have at most " + MAX_HEADERS + " entries");
                return Map.of();
            }
            Map<String, String> headers = new LinkedHashMap<>();
            for (Map.Entry<String, String> field : sent.entrySet()) {
                String name = field.getKey();
                String value = field.getValue();
                String path = "headers." + name;
                String lower = name.toLowerCase(Locale.ROOT);
                if (!isToken(name)) {
                    errors.add(path, "is not a valid header name");
                } else if (RESERVED_HEADERS.contains(lower) || OutgoingRequest.isReservedHeader(name)
                        || lower.startsWith("x-cronhook-") || lower.startsWith("webhook-")) {
                    errors.add(path, "is set by Cronhook and cannot be overridden");
                } else if (value == null) {
                    errors.add(path, "must be a string");
                } else if (value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
                    errors.add(path, "must not contain line breaks");
                } else if (value.length() > MAX_HEADER_VALUE_CHARS) {
                    errors.add(path, "must be at most " + MAX_HEADER_VALUE_CHARS + " characters");
                } else if (!OutgoingRequest.isValidHeaderValue(value)) {
                    // Checked now with the sender's own rule: else no run of the job could be sent.
                    errors.add(path, "must contain only visible ASCII characters, spaces and tabs");
                } else {
                    headers.put(name, value);
                }
            }
            return headers;
        }

        private JobBody jobBody() {
            JobBody result = draft.body().value();
            if (result != null && result.text().getBytes(StandardCharsets.UTF_8).length > JobBody.MAX_BYTES) {
                errors.add("body", "must be at most 64 KiB");
            }
            return result;
        }

        private int timeout() {
            Long timeout = draft.timeoutSeconds().value();
            if (timeout == null || timeout < 1 || timeout > 120) {
                if (!errors.has("timeout_seconds")) {
                    errors.add("timeout_seconds", "must be a whole number from 1 to 120");
                }
                return 30;
            }
            return timeout.intValue();
        }

        private Integer pauseAfterFailures() {
            Long count = draft.pauseAfterFailures().value();
            if (count == null) {
                return null;
            }
            if (count < 1 || count > MAX_PAUSE_AFTER_FAILURES) {
                errors.add("pause_after_failures", PAUSE_AFTER_FAILURES_RULE);
                return null;
            }
            return count.intValue();
        }

        /** Null (sent as null) is the default, as for every other field that has one. */
        private Concurrency concurrency() {
            String value = draft.concurrency().value();
            if (value == null) {
                return Concurrency.ALLOW;
            }
            Concurrency concurrency = Concurrency.fromWire(value);
            if (concurrency == null) {
                errors.add("concurrency", Concurrency.RULE);
                return Concurrency.ALLOW;
            }
            return concurrency;
        }

        /** Null (sent as null) is the default, {@code response}. */
        private Completion completion() {
            String value = draft.completion().value();
            if (value == null) {
                return Completion.RESPONSE;
            }
            Completion completion = Completion.fromWire(value);
            if (completion == null) {
                errors.add("completion", Completion.RULE);
                return Completion.RESPONSE;
            }
            if (completion == Completion.CALLBACK && !callbacksReachable) {
                // A target could not be told where to call back.
                errors.add("completion", "callback needs the server's public URL: set CRONHOOK_PUBLIC_URL");
                return Completion.RESPONSE;
            }
            return completion;
        }

        /** Null (sent as null) is the default, an hour. */
        private int callbackTimeoutSeconds() {
            Long seconds = draft.callbackTimeoutSeconds().value();
            if (seconds == null) {
                return Completion.DEFAULT_CALLBACK_TIMEOUT_SECONDS;
            }
            if (seconds < 1 || seconds > Completion.MAX_CALLBACK_TIMEOUT_SECONDS) {
                errors.add("callback_timeout_seconds", Completion.CALLBACK_TIMEOUT_RULE);
                return Completion.DEFAULT_CALLBACK_TIMEOUT_SECONDS;
            }
            return seconds.intValue();
        }

        /** Null (sent as null) is the default, none. */
        private int jitterSeconds() {
            Long seconds = draft.jitterSeconds().value();
            if (seconds == null) {
                return 0;
            }
            if (seconds < 0 || seconds > Jitter.MAX_SECONDS) {
                errors.add("jitter_seconds", JITTER_RULE);
                return 0;
            }
            return seconds.intValue();
        }

        /** A jitter as long as a gap between two slots would let one run be sent after the next slot's. */
        private void checkJitter(int jitter, String cron, ZoneId zone) {
            Duration gap = Jitter.shortestGap(CronSchedule.parse(cron, zone), clock.instant());
            if (gap != null && Duration.ofSeconds(jitter).compareTo(gap) >= 0) {
                errors.add("jitter_seconds", "must be less than the shortest gap between two runs of this schedule ("
                        + gap.toSeconds() + " s)");
            }
        }

        private CatchUp catchUp() {
            String value = draft.catchUp().value();
            if (value == null) {
                return CatchUp.LATEST;
            }
            CatchUp catchUp = CatchUp.fromWire(value);
            if (catchUp == null) {
                errors.add("catch_up", CatchUp.RULE);
                return CatchUp.LATEST;
            }
            return catchUp;
        }

        private boolean enabled() {
            Boolean enabled = draft.enabled().value();
            if (enabled == null) {
                if (!errors.has("enabled")) {
                    errors.add("enabled", "must be true or false");
                }
                return true;
            }
            return enabled;
        }

        private Instant runAt() {
            return futureInstant("run_at", draft.runAt().value());
        }

        /** An end already stored may lie in the past: a fetched job sent back unchanged is not wrong. */
        private Instant endAt(JobDefinition current) {
            String raw = draft.endAt().value();
            if (raw != null && current != null && current.endAt() != null) {
                try {
                    if (OffsetDateTime.parse(raw).toInstant().equals(current.endAt())) {
                        return current.endAt();
                    }
                } catch (DateTimeParseException e) {
                    // named below
                }
            }
            return futureInstant("end_at", raw);
        }

        private Instant futureInstant(String field, String raw) {
            if (raw == null) {
                return null;
            }
            Instant at;
            try {
                at = OffsetDateTime.parse(raw).toInstant();
            } catch (DateTimeParseException e) {
                errors.add(field, "must be an RFC 3339 time with offset, such as 2026-11-22T10:00:00Z");
                return null;
            }
            if (at.isBefore(clock.instant())) {
                errors.add(field, "must not be in the past");
                return null;
            }
            if (at.isAfter(LATEST_INSTANT)) {
                // The databases keep timestamps up to year 9999 (H2) and 294276 (PostgreSQL); none is a real plan.
                errors.add(field, "must be before the year 10000");
                return null;
            }
            return at;
        }

        private ZoneId zone() {
            return CronInput.zone(draft.timezone().value(), errors);
        }

        private void checkCron(String cron, ZoneId zone) {
            CronInput.schedule(cron, zone, clock.instant(), errors);
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
