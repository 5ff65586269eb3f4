package dev.cronhook.scheduler.runs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cronhook.delivery.http.OutgoingRequest;
import dev.cronhook.delivery.signing.WebhookSecret;
import dev.cronhook.scheduler.jobs.CatchUp;
import dev.cronhook.scheduler.jobs.Completion;
import dev.cronhook.scheduler.jobs.Concurrency;
import dev.cronhook.scheduler.jobs.Job;
import dev.cronhook.scheduler.jobs.JobBody;
import dev.cronhook.scheduler.jobs.JobDefinition;
import dev.cronhook.scheduler.jobs.SigningSecrets;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The request one attempt sends (PRODUCT.md section 5); signatures are recomputed here with javax.crypto. */
class JobRequestsTest {
    private static final WebhookSecret SECRET =
            new WebhookSecret("whsec_" + Base64.getEncoder().encodeToString("current-key-32-bytes-long-000000".getBytes(UTF_8)));
    private static final WebhookSecret OLD_SECRET =
            new WebhookSecret("whsec_" + Base64.getEncoder().encodeToString("previous-key-32-bytes-long-11111".getBytes(UTF_8)));
    private static final Instant SCHEDULED = Instant.parse("2026-11-22T10:00:00Z");
    private static final Instant ATTEMPT = Instant.parse("2026-11-22T10:00:00.250Z");
    private static final String JOB_ID = "job_01jd3k0000000000000000000a";
    private static final String EXECUTION_ID = "exe_01jd3k0000000000000000000b";

    private static JobDefinition definition(String method, Map<String, String> headers, JobBody body, int timeout) {
        return new JobDefinition("nightly", URI.create("https://example.com/hook?x=1"), method, headers, body,
                "0 10 * * *", ZoneId.of("UTC"), null, null, null, Concurrency.ALLOW, CatchUp.LATEST, 0, Completion.RESPONSE, 3600, timeout, true);
    }

    private static ClaimedRun run(JobDefinition definition, SigningSecrets secrets, int attempt) {
        Job job = new Job(JOB_ID, definition, null, SCHEDULED, null, 0, secrets, SCHEDULED, SCHEDULED);
        return new ClaimedRun(EXECUTION_ID, job, RunTrigger.SCHEDULE, SCHEDULED, attempt, SCHEDULED);
    }

    private static OutgoingRequest build(JobDefinition definition) {
        return JobRequests.build(run(definition, new SigningSecrets(SECRET, null, null), 1), ATTEMPT);
    }

    private static byte[] hmac(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    /** Cronly's scheme: key = the UTF-8 bytes of the whole secret string, message = the raw body. */
    private static String hexSignature(WebhookSecret secret, byte[] body) {
        return "sha256=" + HexFormat.of().formatHex(hmac(secret.value().getBytes(UTF_8), body));
    }

    /** Standard Webhooks: key = base64-decoded part after whsec_, message = "{id}.{timestamp}.{body}". */
    private static String standardSignature(WebhookSecret secret, String id, long timestamp, byte[] body) {
        byte[] key = Base64.getDecoder().decode(secret.value().substring("whsec_".length()));
        byte[] prefix = (id + "." + timestamp + ".").getBytes(UTF_8);
        byte[] message = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, message, 0, prefix.length);
        System.arraycopy(body, 0, message, prefix.length, body.length);
        return "v1," + Base64.getEncoder().encodeToString(hmac(key, message));
    }

    private static String header(OutgoingRequest request, String name) {
        List<String> values = request.headers().entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).toList();
        assertTrue(values.size() <= 1, () -> name + " appears " + values.size() + " times: " + request.headers());
        return values.isEmpty() ? null : values.getFirst();
    }

    @Test
    void everyHeaderOfSectionFive() {
        JobDefinition definition = definition("POST", Map.of(), new JobBody("{\"hello\":\"world\"}", true), 30);
        OutgoingRequest request = build(definition);
        byte[] body = "{\"hello\":\"world\"}".getBytes(UTF_8);

        assertEquals(URI.create("https://example.com/hook?x=1"), request.url());
        assertEquals("POST", request.method());
        assertArrayEquals(body, request.body());
        assertEquals("application/json", header(request, "Content-Type"));
        assertEquals(JOB_ID, header(request, "X-Cronhook-Job-Id"));
        assertEquals(EXECUTION_ID, header(request, "X-Cronhook-Execution-Id"));
        assertEquals("1", header(request, "X-Cronhook-Attempt"));
        assertEquals("2026-11-22T10:00:00Z", header(request, "X-Cronhook-Scheduled-For"));
        assertEquals(hexSignature(SECRET, body), header(request, "X-Cronhook-Signature"));
        assertEquals(EXECUTION_ID, header(request, "webhook-id"));
        assertEquals(Long.toString(ATTEMPT.getEpochSecond()), header(request, "webhook-timestamp"));
        assertEquals(standardSignature(SECRET, EXECUTION_ID, ATTEMPT.getEpochSecond(), body),
                header(request, "webhook-signature"));
        // The sender adds User-Agent itself; the request must not carry one the client would refuse.
        assertNull(header(request, "User-Agent"));
        assertEquals(9, request.headers().size(), () -> "headers: " + request.headers());
    }

    @Test
    void hexSignatureUsesTheWholeSecretStringAsKey() {
        byte[] body = "ping".getBytes(UTF_8);
        OutgoingRequest request = build(definition("POST", Map.of(), new JobBody("ping", false), 30));
        assertEquals(hexSignature(SECRET, body), header(request, "X-Cronhook-Signature"));
        // Keyed with the decoded bytes instead (the Standard Webhooks key), it would differ.
        String withDecodedKey = "sha256=" + HexFormat.of().formatHex(hmac(SECRET.keyBytes(), body));
        assertFalse(withDecodedKey.equals(header(request, "X-Cronhook-Signature")));
        assertTrue(header(request, "X-Cronhook-Signature").matches("sha256=[0-9a-f]{64}"));
    }

    @Test
    void signaturesCoverTheUtf8BytesOfTheBody() {
        String text = "gr\u00fc\u00dfe \u65e5\u672c \ud83d\ude80";
        byte[] body = text.getBytes(UTF_8);
        OutgoingRequest request = build(definition("PUT", Map.of(), new JobBody(text, false), 30));
        assertArrayEquals(body, request.body());
        assertEquals(hexSignature(SECRET, body), header(request, "X-Cronhook-Signature"));
        assertEquals(standardSignature(SECRET, EXECUTION_ID, ATTEMPT.getEpochSecond(), body),
                header(request, "webhook-signature"));
    }

    @Test
    void noBodySignsTheEmptyBodyAndSendsNoContentType() {
        OutgoingRequest request = build(definition("GET", Map.of(), null, 30));
        assertEquals("GET", request.method());
        assertEquals(0, request.body() == null ? 0 : request.body().length);
        assertNull(header(request, "Content-Type"));
        assertEquals(hexSignature(SECRET, new byte[0]), header(request, "X-Cronhook-Signature"));
        assertEquals(standardSignature(SECRET, EXECUTION_ID, ATTEMPT.getEpochSecond(), new byte[0]),
                header(request, "webhook-signature"));
    }

    @Test
    void duringARotationTwoV1Entries() {
        SigningSecrets rotating = new SigningSecrets(SECRET, OLD_SECRET, ATTEMPT.plus(Duration.ofHours(23)));
        byte[] body = "{}".getBytes(UTF_8);
        OutgoingRequest request = JobRequests.build(
                run(definition("POST", Map.of(), new JobBody("{}", true), 30), rotating, 1), ATTEMPT);

        String[] entries = header(request, "webhook-signature").split(" ");
        long timestamp = ATTEMPT.getEpochSecond();
        assertEquals(List.of(standardSignature(SECRET, EXECUTION_ID, timestamp, body),
                standardSignature(OLD_SECRET, EXECUTION_ID, timestamp, body)), List.of(entries));
        // The hex header has room for one signature: the current secret's.
        assertEquals(hexSignature(SECRET, body), header(request, "X-Cronhook-Signature"));
    }

    @Test
    void afterTheOverlapOneEntry() {
        byte[] body = "{}".getBytes(UTF_8);
        JobDefinition definition = definition("POST", Map.of(), new JobBody("{}", true), 30);
        for (Instant until : List.of(ATTEMPT, ATTEMPT.minusSeconds(1), ATTEMPT.minus(Duration.ofDays(3)))) {
            OutgoingRequest request = JobRequests.build(run(definition, new SigningSecrets(SECRET, OLD_SECRET, until), 1),
                    ATTEMPT);
            assertEquals(standardSignature(SECRET, EXECUTION_ID, ATTEMPT.getEpochSecond(), body),
                    header(request, "webhook-signature"), "overlap ended at " + until);
        }
    }

    @Test
    void contentTypeFollowsTheBody() {
        assertEquals("application/json",
                header(build(definition("POST", Map.of(), new JobBody("[1,2]", true), 30)), "Content-Type"));
        String plain = header(build(definition("POST", Map.of(), new JobBody("hello", false), 30)), "Content-Type");
        assertTrue(plain.toLowerCase(Locale.ROOT).startsWith("text/plain"), plain);
        // A string that happens to look like JSON is still a string.
        String lookalike = header(build(definition("POST", Map.of(), new JobBody("{\"a\":1}", false), 30)),
                "Content-Type");
        assertTrue(lookalike.toLowerCase(Locale.ROOT).startsWith("text/plain"), lookalike);
    }

    @Test
    void customContentTypeWinsWhateverItsCase() {
        for (String name : List.of("Content-Type", "content-type", "CONTENT-TYPE")) {
            OutgoingRequest request = build(definition("POST", Map.of(name, "application/xml"),
                    new JobBody("<a/>", false), 30));
            assertEquals("application/xml", header(request, "Content-Type"), name);
            OutgoingRequest json = build(definition("POST", Map.of(name, "application/vnd.api+json"),
                    new JobBody("{}", true), 30));
            assertEquals("application/vnd.api+json", header(json, "Content-Type"), name);
        }
    }

    @Test
    void customHeadersAdded() {
        Map<String, String> custom = new LinkedHashMap<>();
        custom.put("Authorization", "Bearer s3cret");
        custom.put("X-Team", "ops");
        OutgoingRequest request = build(definition("DELETE", custom, null, 30));
        assertEquals("DELETE", request.method());
        assertEquals("Bearer s3cret", header(request, "Authorization"));
        assertEquals("ops", header(request, "X-Team"));
        assertEquals(EXECUTION_ID, header(request, "X-Cronhook-Execution-Id"));
    }

    @Test
    void timeoutCarried() {
        assertEquals(Duration.ofSeconds(1), build(definition("POST", Map.of(), null, 1)).timeout());
        assertEquals(Duration.ofSeconds(120), build(definition("POST", Map.of(), null, 120)).timeout());
    }

    @Test
    void aRetryKeepsTheExecutionIdAndSignsAfresh() {
        JobDefinition definition = definition("POST", Map.of(), new JobBody("x", false), 30);
        Instant later = SCHEDULED.plus(Duration.ofMinutes(5));
        OutgoingRequest retry = JobRequests.build(run(definition, new SigningSecrets(SECRET, null, null), 3), later);
        assertEquals("3", header(retry, "X-Cronhook-Attempt"));
        assertEquals(EXECUTION_ID, header(retry, "X-Cronhook-Execution-Id"));
        assertEquals(EXECUTION_ID, header(retry, "webhook-id"));
        assertEquals("2026-11-22T10:00:00Z", header(retry, "X-Cronhook-Scheduled-For"));
        assertEquals(Long.toString(later.getEpochSecond()), header(retry, "webhook-timestamp"));
        assertEquals(standardSignature(SECRET, EXECUTION_ID, later.getEpochSecond(), "x".getBytes(UTF_8)),
                header(retry, "webhook-signature"));
    }

    @Test
    void scheduledForIsRfc3339Utc() {
        Instant odd = Instant.parse("2026-11-22T10:00:00.123Z");
        Job job = new Job(JOB_ID, definition("POST", Map.of(), null, 30), null, odd, null, 0,
                new SigningSecrets(SECRET, null, null), odd, odd);
        OutgoingRequest request = JobRequests.build(ClaimedRun.first(EXECUTION_ID, job, RunTrigger.MANUAL, odd), odd);
        assertEquals("2026-11-22T10:00:00.123Z", header(request, "X-Cronhook-Scheduled-For"));
    }
}
