package dev.cronhook.api.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cronhook.common.DomainException;
import dev.cronhook.common.FieldError;
import dev.cronhook.scheduler.jobs.CatchUp;
import dev.cronhook.scheduler.jobs.Completion;
import dev.cronhook.scheduler.jobs.Concurrency;
import dev.cronhook.scheduler.jobs.JobBody;
import dev.cronhook.scheduler.jobs.JobDefinition;
import dev.cronhook.scheduler.jobs.JobType;
import dev.cronhook.scheduler.jobs.JobValidator;
import dev.cronhook.scheduler.jobs.UrlGuard;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PRODUCT.md section 3, rule by rule: what a job may look like, and what each rejection says, from the request's JSON
 * through its codec to the job service's validator.
 */
class JobValidatorTest {
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CRON = "'url': 'https://example.com/hook', 'cron': '*/5 * * * *'";

    private final JobValidator validator = new JobValidator(Clock.fixed(NOW, ZoneOffset.UTC), UrlGuard.ALLOW_ALL,
            true);

    /** JSON written with single quotes, to keep the tests readable. */
    private static ObjectNode json(String singleQuoted) {
        try {
            return (ObjectNode) JSON.readTree(singleQuoted.replace('\'', '"'));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(singleQuoted, e);
        }
    }

    private static ObjectNode cronJob(String extraFields) {
        return json("{'name': 'nightly', " + CRON + (extraFields.isEmpty() ? "" : ", " + extraFields) + "}");
    }

    private JobDefinition create(JsonNode input) {
        return validator.forCreate(JobCodec.decode(input));
    }

    private List<FieldError> errorsOf(JsonNode input) {
        return assertThrows(DomainException.Invalid.class, () -> validator.forCreate(JobCodec.decode(input)),
                "accepted: " + input).errors();
    }

    /** Exactly one error, on {@code field}, whose message contains {@code hint} (case-insensitive). */
    private void assertRejected(JsonNode input, String field, String hint) {
        assertOnlyError(errorsOf(input), field, hint);
    }

    private static void assertOnlyError(List<FieldError> errors, String field, String hint) {
        assertEquals(1, errors.size(), () -> "errors: " + errors);
        assertError(errors, field, hint);
    }

    private static void assertError(List<FieldError> errors, String field, String hint) {
        FieldError error = errors.stream().filter(e -> e.field().equals(field)).findFirst()
                .orElseGet(() -> fail("no error on " + field + " in " + errors));
        assertFalse(error.message().isBlank(), "empty message for " + field);
        assertTrue(error.message().toLowerCase(Locale.ROOT).contains(hint.toLowerCase(Locale.ROOT)),
                () -> field + ": message '" + error.message() + "' should mention '" + hint + "'");
    }

    @Nested
    class Defaults {
        @Test
        void minimalCronJobGetsEveryDefault() {
            JobDefinition job = create(cronJob(""));
            assertEquals("nightly", job.name());
            assertEquals(URI.create("https://example.com/hook"), job.url());
            assertEquals("POST", job.method());
            assertEquals(Map.of(), job.headers());
            assertNull(job.body());
            assertEquals("*/5 * * * *", job.cron());
            assertEquals(ZoneId.of("UTC"), job.zone());
            assertNull(job.runAt());
            assertEquals(30, job.timeoutSeconds());
            assertTrue(job.enabled());
            assertEquals(JobType.CRON, job.type());
        }

        @Test
        void minimalOneTimeJobHasNoZone() {
            JobDefinition job = create(json("{'name': 'once', 'url': 'http://example.com', "
                    + "'run_at': '2026-11-23T08:30:00+01:00'}"));
            assertEquals(Instant.parse("2026-11-23T07:30:00Z"), job.runAt());
            assertNull(job.cron());
            assertNull(job.zone());
            assertEquals(JobType.ONCE, job.type());
            assertEquals("POST", job.method());
            assertEquals(30, job.timeoutSeconds());
            assertTrue(job.enabled());
        }

        @Test
        void everyFieldSet() {
            JobDefinition job = create(json("{'name': 'all', 'url': 'https://example.com/x?a=1', 'method': 'PUT', "
                    + "'headers': {'Authorization': 'Bearer t', 'X-Team': 'ops'}, 'body': {'a': [1, 2]}, "
                    + "'cron': '0 9 * * MON-FRI', 'timezone': 'Europe/Berlin', 'timeout_seconds': 120, "
                    + "'enabled': false}"));
            assertEquals("PUT", job.method());
            assertEquals(Map.of("Authorization", "Bearer t", "X-Team", "ops"), job.headers());
            assertEquals(new JobBody("{\"a\":[1,2]}", true), job.body());
            assertEquals(ZoneId.of("Europe/Berlin"), job.zone());
            assertEquals(120, job.timeoutSeconds());
            assertFalse(job.enabled());
        }
    }

    @Nested
    class Name {
        @Test
        void required() {
            assertRejected(json("{" + CRON + "}"), "name", "required");
        }

        @Test
        void nullIsMissing() {
            assertRejected(json("{'name': null, " + CRON + "}"), "name", "required");
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "   "})
        void notBlank(String name) {
            ObjectNode input = cronJob("");
            input.put("name", name);
            assertRejected(input, "name", "blank");
        }

        @Test
        void oneToTwoHundredCharacters() {
            ObjectNode input = cronJob("");
            input.put("name", "x");
            assertEquals("x", create(input).name());
            input.put("name", "n".repeat(200));
            assertEquals(200, create(input).name().length());
            input.put("name", "n".repeat(201));
            assertRejected(input, "name", "200");
        }

        @Test
        void mustBeAString() {
            assertRejected(json("{'name': 42, " + CRON + "}"), "name", "string");
        }
    }

    @Nested
    class Url {
        private ObjectNode withUrl(String url) {
            ObjectNode input = cronJob("");
            input.put("url", url);
            return input;
        }

        @Test
        void required() {
            assertRejected(json("{'name': 'n', 'cron': '* * * * *'}"), "url", "required");
        }

        @ParameterizedTest
        @ValueSource(strings = {"http://example.com", "https://example.com:8443/a/b?c=d#e", "HTTPS://EXAMPLE.COM",
                "http://127.0.0.1:9000/hook", "http://[::1]:8080/"})
        void absoluteHttpAndHttpsAccepted(String url) {
            assertEquals(URI.create(url), create(withUrl(url)).url());
        }

        @ParameterizedTest
        @ValueSource(strings = {"ftp://example.com/file", "file:///etc/passwd", "mailto:ops@example.com",
                "/relative/path", "example.com/hook", "javascript:alert(1)"})
        void notAbsoluteHttp(String url) {
            assertRejected(withUrl(url), "url", "absolute http or https");
        }

        @ParameterizedTest
        @ValueSource(strings = {"https://user:secret@example.com/hook", "http://user@example.com/"})
        void noUserInfo(String url) {
            List<FieldError> errors = errorsOf(withUrl(url));
            assertOnlyError(errors, "url", "user information");
            assertFalse(errors.getFirst().message().contains("secret"), "the message must not echo credentials");
        }

        @Test
        void needsAHost() {
            assertRejected(withUrl("http:///path-only"), "url", "host");
        }

        @Test
        void malformed() {
            assertRejected(withUrl("http://exa mple.com/"), "url", "not a valid URL");
        }

        @Test
        void mustBeAString() {
            ObjectNode input = cronJob("");
            input.put("url", 7);
            assertRejected(input, "url", "string");
        }
    }

    @Nested
    class Method {
        @ParameterizedTest
        @ValueSource(strings = {"GET", "POST", "PUT", "PATCH", "DELETE"})
        void theFiveMethods(String method) {
            assertEquals(method, create(cronJob("'method': '" + method + "'")).method());
        }

        @Test
        void caseInsensitive() {
            assertEquals("PATCH", create(cronJob("'method': 'patch'")).method());
        }

        @Test
        void defaultPost() {
            assertEquals("POST", create(cronJob("")).method());
        }

        @ParameterizedTest
        @ValueSource(strings = {"HEAD", "OPTIONS", "CONNECT", "TRACE", "FETCH", ""})
        void othersRejectedListingTheAllowedOnes(String method) {
            assertRejected(cronJob("'method': '" + method + "'"), "method", "GET, POST, PUT, PATCH, DELETE");
        }

        @Test
        void nonString() {
            assertRejected(cronJob("'method': 1"), "method", "string");
        }
    }

    @Nested
    class Headers {
        private ObjectNode withHeaders(Map<String, ?> headers) {
            ObjectNode input = cronJob("");
            input.set("headers", JSON.valueToTree(headers));
            return input;
        }

        @Test
        void customHeadersKeptInOrder() {
            JobDefinition job = create(cronJob("'headers': {'Authorization': 'Bearer abc', 'X-Custom': 'v', "
                    + "'Content-Type': 'application/xml'}"));
            assertEquals(List.of("Authorization", "X-Custom", "Content-Type"), List.copyOf(job.headers().keySet()));
            assertEquals("application/xml", job.headers().get("Content-Type"));
        }

        @Test
        void atMostFifty() {
            Map<String, String> fifty = java.util.stream.IntStream.range(0, 50).boxed()
                    .collect(Collectors.toMap(i -> "X-H" + i, i -> "v"));
            assertEquals(50, create(withHeaders(fifty)).headers().size());
            Map<String, String> fiftyOne = new java.util.HashMap<>(fifty);
            fiftyOne.put("X-H50", "v");
            assertRejected(withHeaders(fiftyOne), "headers", "at most 50");
        }

        @ParameterizedTest
        @ValueSource(strings = {"Host", "HOST", "Content-Length", "content-length", "User-Agent", "user-AGENT",
                "X-Cronhook-Signature", "x-cronhook-job-id", "X-CRONHOOK-Anything", "webhook-signature", "Webhook-Id",
                "WEBHOOK-TIMESTAMP", "webhook-custom"})
        void reservedNamesRejectedWhateverTheCase(String name) {
            assertRejected(withHeaders(Map.of(name, "x")), "headers." + name, "set by Cronhook");
        }

        @Test
        void similarButAllowedNames() {
            JobDefinition job = create(withHeaders(Map.of("X-Cronhooks", "a", "X-Webhook-Id", "b", "Hostname", "c")));
            assertEquals(3, job.headers().size());
        }

        @Test
        void valuesMustBeStrings() {
            List<FieldError> errors = errorsOf(cronJob("'headers': {'X-Number': 5, 'X-Object': {'a': 1}, "
                    + "'X-Null': null, 'X-Ok': 'fine'}"));
            assertEquals(3, errors.size(), () -> "errors: " + errors);
            assertError(errors, "headers.X-Number", "string");
            assertError(errors, "headers.X-Object", "string");
            assertError(errors, "headers.X-Null", "string");
        }

        @Test
        void mustBeAnObject() {
            assertRejected(cronJob("'headers': ['X-A: b']"), "headers", "object");
        }

        @Test
        void invalidNameRejected() {
            assertRejected(withHeaders(Map.of("Bad Header", "x")), "headers.Bad Header", "not a valid header name");
        }

        @ParameterizedTest
        @ValueSource(strings = {"a\r\nInjected: yes", "line\nbreak"})
        void lineBreaksInValuesRejected(String value) {
            assertRejected(withHeaders(Map.of("X-A", value)), "headers.X-A", "line breaks");
        }

        /**
         * A value the request cannot carry intact (control characters, anything beyond ASCII, which the JDK client
         * sends as '?') must be refused here: accepted, every run of the job would fail to build its request.
         */
        @ParameterizedTest
        @ValueSource(strings = {"bell\u0007", "del\u007f", "\u65e5\u672c", "euro \u20ac", "caf\u00e9"})
        void valuesAnHttpRequestCannotCarryRejected(String value) {
            assertRejected(withHeaders(Map.of("X-A", value)), "headers.X-A", "visible ASCII");
        }

        @Test
        void visibleAsciiSpacesAndTabsAccepted() {
            String value = "Bearer a.b-c_d~e+f/g=; q=\"x\"\tend";
            assertEquals(value, create(withHeaders(Map.of("X-A", value))).headers().get("X-A"));
        }

        @Test
        void nullClears() {
            assertEquals(Map.of(), create(cronJob("'headers': null")).headers());
        }
    }

    @Nested
    class Body {
        @Test
        void stringSentAsIs() {
            assertEquals(new JobBody("hello {not json", false), create(cronJob("'body': 'hello {not json'")).body());
        }

        @Test
        void anyJsonValueSentAsJson() {
            assertEquals(new JobBody("{\"a\":{\"b\":[1,true,null]}}", true),
                    create(cronJob("'body': {'a': {'b': [1, true, null]}}")).body());
            assertEquals(new JobBody("[1,2]", true), create(cronJob("'body': [1, 2]")).body());
            assertEquals(new JobBody("42", true), create(cronJob("'body': 42")).body());
            assertEquals(new JobBody("false", true), create(cronJob("'body': false")).body());
        }

        @Test
        void nullMeansNoBody() {
            assertNull(create(cronJob("'body': null")).body());
        }

        @Test
        void atMost64KiBOfUtf8() {
            ObjectNode input = cronJob("");
            input.put("body", "x".repeat(64 * 1024));
            assertEquals(64 * 1024, create(input).body().text().length());
            input.put("body", "x".repeat(64 * 1024 + 1));
            assertRejected(input, "body", "64 KiB");
            // Counted in bytes: 32 Ki two-byte characters are 64 KiB, one more is too many.
            input.put("body", "\u00e9".repeat(32 * 1024));
            assertNotNull(create(input).body());
            input.put("body", "\u00e9".repeat(32 * 1024 + 1));
            assertRejected(input, "body", "64 KiB");
        }

        @Test
        void jsonBodyMeasuredAsSent() {
            ObjectNode input = cronJob("");
            input.putObject("body").put("k", "x".repeat(64 * 1024));
            assertRejected(input, "body", "64 KiB");
        }
    }

    @Nested
    class Schedule {
        @Test
        void cronOrRunAtRequired() {
            assertRejected(json("{'name': 'n', 'url': 'http://example.com'}"), "cron", "one of cron or run_at");
        }

        @Test
        void notBoth() {
            assertRejected(cronJob("'run_at': '2026-12-01T00:00:00Z'"), "run_at", "either cron or run_at");
        }

        @Test
        void bothNullIsNeither() {
            assertRejected(json("{'name': 'n', 'url': 'http://example.com', 'cron': null, 'run_at': null}"), "cron",
                    "one of cron or run_at");
        }

        @ParameterizedTest
        @ValueSource(strings = {"0 0 * * *", "@hourly", "0 9 * * MON-FRI", "*/15 * * JAN,JUL *", "30 * * * * *",
                "0 0 1,15 * FRI"})
        void cronForms(String cron) {
            assertEquals(cron, create(json("{'name': 'n', 'url': 'http://example.com', 'cron': '" + cron + "'}")).cron());
        }

        @ParameterizedTest
        @ValueSource(strings = {"* * * *", "61 * * * *", "not a cron", "0 0 ? * MON"})
        void invalidCronExplained(String cron) {
            List<FieldError> errors = errorsOf(json("{'name': 'n', 'url': 'http://e.com', 'cron': '" + cron + "'}"));
            assertEquals(1, errors.size(), () -> "errors: " + errors);
            assertEquals("cron", errors.getFirst().field());
            assertTrue(errors.getFirst().message().length() > 10, errors.getFirst().message());
        }

        @Test
        void cronNamesTheOffendingPart() {
            assertRejected(json("{'name': 'n', 'url': 'http://e.com', 'cron': '0 24 * * *'}"), "cron", "hour");
        }

        @Test
        void cronThatNeverFires() {
            assertRejected(json("{'name': 'n', 'url': 'http://e.com', 'cron': '0 0 30 2 *'}"), "cron", "never fires");
        }

        @Test
        void cronMustBeAString() {
            assertRejected(json("{'name': 'n', 'url': 'http://e.com', 'cron': 5}"), "cron", "string");
        }

        /** The column holds 200 characters: a longer (valid) expression must be refused, not fail on insert. */
        @Test
        void cronLongerThanTheStoredColumnRejected() {
            String minutes = java.util.stream.IntStream.range(0, 60).mapToObj(Integer::toString)
                    .collect(Collectors.joining(","));
            String hours = java.util.stream.IntStream.range(0, 24).mapToObj(Integer::toString)
                    .collect(Collectors.joining(","));
            String cron = minutes + " " + hours + " * * *";
            assertTrue(cron.length() > 200);
            assertRejected(json("{'name': 'n', 'url': 'http://e.com', 'cron': '" + cron + "'}"), "cron", "200");
        }
    }

    @Nested
    class Timezone {
        @ParameterizedTest
        @ValueSource(strings = {"UTC", "Europe/Berlin", "America/Argentina/Buenos_Aires", "Asia/Kolkata"})
        void ianaZones(String zone) {
            assertEquals(ZoneId.of(zone), create(cronJob("'timezone': '" + zone + "'")).zone());
        }

        @Test
        void defaultUtc() {
            assertEquals(ZoneId.of("UTC"), create(cronJob("")).zone());
            assertEquals(ZoneId.of("UTC"), create(cronJob("'timezone': null")).zone());
        }

        @ParameterizedTest
        @ValueSource(strings = {"Mars/Olympus_Mons", "+02:00", "GMT+2", "europe/berlin", ""})
        void nonIanaRejected(String zone) {
            assertRejected(cronJob("'timezone': '" + zone + "'"), "timezone", "IANA");
        }

        @Test
        void notForOneTimeJobs() {
            assertRejected(json("{'name': 'n', 'url': 'http://e.com', 'run_at': '2026-12-01T00:00:00Z', "
                    + "'timezone': 'Europe/Berlin'}"), "timezone", "cron jobs only");
        }
    }

    @Nested
    class RunAt {
        private ObjectNode at(String runAt) {
            return json("{'name': 'n', 'url': 'http://e.com', 'run_at': '" + runAt + "'}");
        }

        @ParameterizedTest
        @ValueSource(strings = {"2026-11-22T10:00:00Z", "2026-11-22T10:00:00.001Z", "2026-11-22T11:30:00+01:00",
                "2027-01-01T00:00:00-08:00", "2026-11-22t10:00:00z"})
        void rfc3339NowOrLater(String runAt) {
            assertEquals(java.time.OffsetDateTime.parse(runAt.toUpperCase(Locale.ROOT)).toInstant(),
                    create(at(runAt)).runAt());
        }

        @ParameterizedTest
        @ValueSource(strings = {"2026-11-22T10:00:00", "2026-11-22", "tomorrow", "1764000000", "2026-13-01T00:00:00Z",
                "22.11.2026 10:00"})
        void malformedRejectedWithAnExample(String runAt) {
            assertRejected(at(runAt), "run_at", "RFC 3339");
        }

        @ParameterizedTest
        @ValueSource(strings = {"2026-11-22T09:59:59.999Z", "2020-01-01T00:00:00Z", "2026-11-22T10:30:00+01:00"})
        void pastRejected(String runAt) {
            assertRejected(at(runAt), "run_at", "past");
        }

        @Test
        void mustBeAString() {
            assertRejected(json("{'name': 'n', 'url': 'http://e.com', 'run_at': 1764000000}"), "run_at", "string");
        }
    }

    /** PRODUCT.md section 10: {@code end_at} ends a cron job's schedule. */
    @Nested
    class EndAt {
        private JobDefinition patch(JobDefinition current, String singleQuoted) {
            return validator.forPatch(current, JobCodec.decode(json(singleQuoted)));
        }

        @Test
        void aCronJobKeepsItsEndAndNoneIsTheDefault() {
            assertEquals(Instant.parse("2026-12-31T23:00:00Z"),
                    create(cronJob("'end_at': '2027-01-01T00:00:00+01:00'")).endAt());
            assertNull(create(cronJob("")).endAt());
            assertNull(create(cronJob("'end_at': null")).endAt());
        }

        @Test
        void oneTimeJobsHaveNoEnd() {
            assertRejected(json("{'name': 'n', 'url': 'http://e.com', 'run_at': '2026-12-01T00:00:00Z', "
                    + "'end_at': '2026-12-02T00:00:00Z'}"), "end_at", "cron jobs only");
        }

        @ParameterizedTest
        @ValueSource(strings = {"'2026-11-22T09:59:59Z'", "'next week'", "'2026-11-30'", "1764000000"})
        void pastMalformedOrNotAStringRejected(String value) {
            List<FieldError> errors = errorsOf(cronJob("'end_at': " + value));
            assertOnlyError(errors, "end_at", value.startsWith("'2026-11-22T") ? "past"
                    : value.startsWith("'") ? "RFC 3339" : "string");
        }

        @Test
        void anEndThatHasPassedStaysWhenTheJobIsSentBackUnchanged() {
            JobDefinition stored = new JobDefinition("n", URI.create("http://e.com"), "POST", Map.of(), null,
                    "0 3 * * *", ZoneId.of("UTC"), null, Instant.parse("2026-11-01T00:00:00Z"), null, Concurrency.ALLOW,
                    CatchUp.LATEST, 0, Completion.RESPONSE, 3600, 30, true);
            assertEquals(stored, patch(stored, "{'end_at': '2026-11-01T00:00:00Z', 'name': 'n'}"));
            List<FieldError> moved = assertThrows(DomainException.Invalid.class,
                    () -> patch(stored, "{'end_at': '2026-11-02T00:00:00Z'}")).errors();
            assertOnlyError(moved, "end_at", "past");
            assertNull(patch(stored, "{'end_at': null}").endAt(), "null clears the end");
        }

        @Test
        void aCronJobTurnedOneTimeDropsItsEnd() {
            JobDefinition cron = create(cronJob("'end_at': '2027-01-01T00:00:00Z'"));
            JobDefinition once = patch(cron, "{'cron': null, 'run_at': '2026-12-01T00:00:00Z'}");
            assertEquals(JobType.ONCE, once.type());
            assertNull(once.endAt());
            assertNull(once.zone());
        }
    }

    @Nested
    class CatchUpPolicy {
        @Test
        void latestIsTheDefaultAndEachPolicyIsKept() {
            assertEquals(CatchUp.LATEST, create(cronJob("")).catchUp());
            assertEquals(CatchUp.LATEST, create(cronJob("'catch_up': null")).catchUp());
            assertEquals(CatchUp.ALL, create(cronJob("'catch_up': 'all'")).catchUp());
            assertEquals(CatchUp.NONE, create(cronJob("'catch_up': 'none'")).catchUp());
        }

        @ParameterizedTest
        @ValueSource(strings = {"'some'", "'ALL'", "''", "1", "true"})
        void anythingElseIsRejected(String value) {
            assertRejected(cronJob("'catch_up': " + value), "catch_up", "latest, all or none");
        }

        @Test
        void oneTimeJobsHaveNoCatchUpPolicy() {
            assertRejected(json("{'name': 'n', 'url': 'http://e.com', 'run_at': '2026-12-01T00:00:00Z', "
                    + "'catch_up': 'all'}"), "catch_up", "cron jobs only");
        }

        @Test
        void aCronJobTurnedOneTimeDropsItsPolicy() {
            JobDefinition cron = create(cronJob("'catch_up': 'none'"));
            JobDefinition once = validator.forPatch(cron, JobCodec.decode(json("{'cron': null, "
                    + "'run_at': '2026-12-01T00:00:00Z'}")));
            assertEquals(CatchUp.LATEST, once.catchUp());
            assertEquals(CatchUp.NONE, validator.forPatch(cron, JobCodec.decode(json("{'name': 'kept'}"))).catchUp());
        }
    }

    @Nested
    class JitterSeconds {
        @Test
        void noneIsTheDefaultAndAJitterShorterThanTheGapIsKept() {
            assertEquals(0, create(cronJob("")).jitterSeconds());
            assertEquals(0, create(cronJob("'jitter_seconds': null")).jitterSeconds());
            assertEquals(299, create(cronJob("'jitter_seconds': 299")).jitterSeconds(), "every 5 minutes");
            assertEquals(3600, create(json("{'name': 'n', 'url': 'http://e.com', 'cron': '0 3 * * *', "
                    + "'jitter_seconds': 3600}")).jitterSeconds());
        }

        @ParameterizedTest
        @ValueSource(strings = {"-1", "3601", "'30'", "2.5", "true"})
        void outsideTheRangeOrNotAWholeNumberIsRejected(String value) {
            assertRejected(json("{'name': 'n', 'url': 'http://e.com', 'cron': '0 3 * * *', 'jitter_seconds': "
                    + value + "}"), "jitter_seconds", "0 to 3600");
        }

        @Test
        void aJitterNotShorterThanTheShortestGapIsRejected() {
            assertRejected(cronJob("'jitter_seconds': 300"), "jitter_seconds", "shortest gap");
            assertRejected(json("{'name': 'n', 'url': 'http://e.com', 'cron': '0,10,30 * * * *', "
                    + "'jitter_seconds': 600}"), "jitter_seconds", "600 s");
            assertRejected(json("{'name': 'n', 'url': 'http://e.com', 'cron': '* * * * * *', "
                    + "'jitter_seconds': 1}"), "jitter_seconds", "shortest gap");
        }

        @Test
        void aScheduleChangedUnderAJitterIsCheckedAgainstIt() {
            JobDefinition hourly = create(json("{'name': 'n', 'url': 'http://e.com', 'cron': '0 * * * *', "
                    + "'jitter_seconds': 900}"));
            List<FieldError> errors = assertThrows(DomainException.Invalid.class, () -> validator.forPatch(hourly,
                    JobCodec.decode(json("{'cron': '*/10 * * * *'}")))).errors();
            assertOnlyError(errors, "jitter_seconds", "shortest gap");
        }

        @Test
        void oneTimeJobsHaveNoJitter() {
            assertRejected(json("{'name': 'n', 'url': 'http://e.com', 'run_at': '2026-12-01T00:00:00Z', "
                    + "'jitter_seconds': 30}"), "jitter_seconds", "cron jobs only");
            assertEquals(0, create(json("{'name': 'n', 'url': 'http://e.com', 'run_at': '2026-12-01T00:00:00Z', "
                    + "'jitter_seconds': 0}")).jitterSeconds());
        }
    }

    @Nested
    class Timeout {
        @ParameterizedTest
        @ValueSource(ints = {1, 30, 120})
        void oneToOneHundredTwenty(int seconds) {
            assertEquals(seconds, create(cronJob("'timeout_seconds': " + seconds)).timeoutSeconds());
        }

        @ParameterizedTest
        @ValueSource(strings = {"0", "-1", "121", "1.5", "'30'", "true", "99999999999"})
        void othersRejected(String value) {
            assertRejected(cronJob("'timeout_seconds': " + value), "timeout_seconds", "1 to 120");
        }
    }

    @Nested
    class Enabled {
        @Test
        void defaultTrue() {
            assertTrue(create(cronJob("")).enabled());
        }

        @Test
        void falseKept() {
            assertFalse(create(cronJob("'enabled': false")).enabled());
        }

        @ParameterizedTest
        @ValueSource(strings = {"'false'", "0"})
        void onlyBooleans(String value) {
            assertRejected(cronJob("'enabled': " + value), "enabled", "true or false");
        }
    }

    @Nested
    class FieldNames {
        @Test
        void unknownFieldsRejected() {
            List<FieldError> errors = errorsOf(cronJob("'schedule': '* * * * *', 'timeoutSeconds': 5"));
            assertEquals(2, errors.size(), () -> "errors: " + errors);
            assertError(errors, "schedule", "unknown field");
            assertError(errors, "timeoutSeconds", "unknown field");
        }

        @Test
        void readOnlyFieldsOfTheJobRepresentationAccepted() {
            JobDefinition job = create(cronJob("'id': 'job_01abc', 'type': 'cron', 'status': null, "
                    + "'next_run_at': '2026-11-22T10:05:00Z', 'created_at': '2026-11-22T09:00:00Z', "
                    + "'updated_at': '2026-11-22T09:00:00Z'"));
            assertEquals("nightly", job.name());
        }

        @Test
        void notAnObject() {
            DomainException.Invalid e = assertThrows(DomainException.Invalid.class,
                    () -> validator.forCreate(JobCodec.decode(JSON.valueToTree(List.of("a")))));
            assertEquals(1, e.errors().size());
            assertTrue(e.errors().getFirst().message().contains("JSON object"));
        }

        @Test
        void everyWrongFieldReportedAtOnce() {
            List<FieldError> errors = errorsOf(json("{'url': 'ftp://x', 'method': 'HEAD', 'timeout_seconds': 0, "
                    + "'cron': '* * * * *', 'extra': 1}"));
            assertEquals(List.of("extra", "name", "url", "method", "timeout_seconds"),
                    errors.stream().map(FieldError::field).toList());
        }
    }

    @Nested
    class CompletionPolicy {
        @Test
        void responseByDefaultAndCallbackWithAnHourToCallBack() {
            JobDefinition plain = create(cronJob(""));
            assertEquals(Completion.RESPONSE, plain.completion());
            assertEquals(3600, plain.callbackTimeoutSeconds());
            JobDefinition callback = create(json("{'name': 'export', 'url': 'https://example.com/hook', "
                    + "'run_at': '2026-11-23T00:00:00Z', 'completion': 'callback', 'callback_timeout_seconds': 86400}"));
            assertEquals(Completion.CALLBACK, callback.completion());
            assertEquals(86400, callback.callbackTimeoutSeconds());
            assertEquals(Completion.RESPONSE, create(cronJob("'completion': null")).completion());
        }

        @Test
        void unknownCompletionAndTimeoutsOutOfRangeNamed() {
            assertRejected(cronJob("'completion': 'webhook'"), "completion", "response or callback");
            assertRejected(cronJob("'completion': 1"), "completion", "response or callback");
            for (String timeout : List.of("0", "86401", "-1", "1.5", "'60'")) {
                assertRejected(cronJob("'completion': 'callback', 'callback_timeout_seconds': " + timeout),
                        "callback_timeout_seconds", "1 to 86400");
            }
        }

        @Test
        void aCallbackJobNeedsThePublicUrl() {
            JobValidator unreachable = new JobValidator(Clock.fixed(NOW, ZoneOffset.UTC), UrlGuard.ALLOW_ALL, false);
            List<FieldError> errors = assertThrows(DomainException.Invalid.class,
                    () -> unreachable.forCreate(JobCodec.decode(cronJob("'completion': 'callback'")))).errors();
            assertOnlyError(errors, "completion", "CRONHOOK_PUBLIC_URL");
            assertEquals(Completion.RESPONSE, unreachable.forCreate(JobCodec.decode(cronJob(""))).completion());
        }
    }

    @Nested
    class Patch {
        private final JobDefinition cron = create(json("{'name': 'nightly', 'url': 'https://example.com/hook', "
                + "'method': 'PUT', 'headers': {'X-A': 'a'}, 'body': 'payload', 'cron': '0 3 * * *', "
                + "'timezone': 'Europe/Berlin', 'timeout_seconds': 10, 'enabled': false}"));

        private JobDefinition patch(JobDefinition current, String singleQuoted) {
            return validator.forPatch(current, JobCodec.decode(json(singleQuoted)));
        }

        private List<FieldError> patchErrors(JobDefinition current, String singleQuoted) {
            return assertThrows(DomainException.Invalid.class, () -> patch(current, singleQuoted)).errors();
        }

        @Test
        void emptyPatchKeepsEverything() {
            assertEquals(cron, patch(cron, "{}"));
        }

        @Test
        void absentFieldsKeptGivenFieldsReplaced() {
            JobDefinition changed = patch(cron, "{'name': 'renamed', 'timeout_seconds': 60}");
            assertEquals("renamed", changed.name());
            assertEquals(60, changed.timeoutSeconds());
            assertEquals(cron.url(), changed.url());
            assertEquals("PUT", changed.method());
            assertEquals(cron.headers(), changed.headers());
            assertEquals(cron.body(), changed.body());
            assertEquals("0 3 * * *", changed.cron());
            assertEquals(ZoneId.of("Europe/Berlin"), changed.zone());
            assertFalse(changed.enabled());
        }

        @Test
        void headersReplacedAsAWholeNotMerged() {
            assertEquals(Map.of("X-B", "b"), patch(cron, "{'headers': {'X-B': 'b'}}").headers());
        }

        @Test
        void nullClearsOptionalFields() {
            JobDefinition cleared = patch(cron, "{'headers': null, 'body': null, 'timezone': null}");
            assertEquals(Map.of(), cleared.headers());
            assertNull(cleared.body());
            assertEquals(ZoneId.of("UTC"), cleared.zone());
            assertEquals("0 3 * * *", cleared.cron());
        }

        @Test
        void nullOnARequiredFieldRejected() {
            List<FieldError> errors = patchErrors(cron, "{'name': null, 'url': null}");
            assertEquals(2, errors.size(), () -> "errors: " + errors);
            assertError(errors, "name", "required");
            assertError(errors, "url", "required");
        }

        @Test
        void patchValuesValidatedLikeCreate() {
            List<FieldError> errors = patchErrors(cron, "{'url': 'https://u:p@example.com', 'timeout_seconds': 500, "
                    + "'headers': {'Host': 'x'}, 'unknown': 1}");
            assertEquals(4, errors.size(), () -> "errors: " + errors);
            assertError(errors, "unknown", "unknown field");
            assertError(errors, "url", "user information");
            assertError(errors, "timeout_seconds", "1 to 120");
            assertError(errors, "headers.Host", "set by Cronhook");
        }

        @Test
        void changingTheCronChecksItInTheKeptZone() {
            assertEquals("0 4 * * *", patch(cron, "{'cron': '0 4 * * *'}").cron());
            assertOnlyError(patchErrors(cron, "{'cron': '0 4 * *'}"), "cron", "5 fields");
        }

        @Test
        void switchFromCronToRunAt() {
            JobDefinition once = patch(cron, "{'cron': null, 'run_at': '2026-12-24T18:00:00Z'}");
            assertEquals(JobType.ONCE, once.type());
            assertNull(once.cron());
            assertNull(once.zone(), "a one-time job keeps no time zone");
            assertEquals(Instant.parse("2026-12-24T18:00:00Z"), once.runAt());
            assertEquals("nightly", once.name());
            assertEquals(10, once.timeoutSeconds());
        }

        @Test
        void switchFromCronToRunAtClearingTheZoneToo() {
            JobDefinition once = patch(cron, "{'cron': null, 'timezone': null, 'run_at': '2026-12-24T18:00:00Z'}");
            assertEquals(JobType.ONCE, once.type());
        }

        @Test
        void switchFromRunAtToCron() {
            JobDefinition once = create(json("{'name': 'n', 'url': 'http://e.com', 'run_at': '2026-12-24T18:00:00Z'}"));
            JobDefinition cronAgain = patch(once, "{'run_at': null, 'cron': '@daily'}");
            assertEquals(JobType.CRON, cronAgain.type());
            assertNull(cronAgain.runAt());
            assertEquals(ZoneId.of("UTC"), cronAgain.zone());
        }

        @Test
        void runAtOnACronJobWithoutClearingTheCronRejected() {
            assertOnlyError(patchErrors(cron, "{'run_at': '2026-12-24T18:00:00Z'}"), "run_at", "either cron or run_at");
        }

        @Test
        void clearingTheOnlyScheduleRejected() {
            assertOnlyError(patchErrors(cron, "{'cron': null}"), "cron", "one of cron or run_at");
        }

        @Test
        void timezoneOnAOneTimeJobRejected() {
            JobDefinition once = create(json("{'name': 'n', 'url': 'http://e.com', 'run_at': '2026-12-24T18:00:00Z'}"));
            assertOnlyError(patchErrors(once, "{'timezone': 'Europe/Berlin'}"), "timezone", "cron jobs only");
        }

        @Test
        void pastRunAtRejectedInAPatch() {
            JobDefinition once = create(json("{'name': 'n', 'url': 'http://e.com', 'run_at': '2026-12-24T18:00:00Z'}"));
            assertOnlyError(patchErrors(once, "{'run_at': '2026-11-01T00:00:00Z'}"), "run_at", "past");
        }

        @Test
        void aOneTimeJobWhoseRunAtHasPassedCanStillBeRenamed() {
            JobDefinition ran = new JobDefinition("n", URI.create("http://e.com"), "POST", Map.of(), null, null, null,
                    Instant.parse("2026-01-01T00:00:00Z"), null, null, Concurrency.ALLOW, CatchUp.LATEST, 0, Completion.RESPONSE, 3600, 30, true);
            JobDefinition renamed = patch(ran, "{'name': 'renamed'}");
            assertEquals("renamed", renamed.name());
            assertEquals(ran.runAt(), renamed.runAt());
        }

        @Test
        void enableAgain() {
            assertTrue(patch(cron, "{'enabled': true}").enabled());
        }
    }
}
