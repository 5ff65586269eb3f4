package dev.cronhook.api.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.cronhook.delivery.signing.SignatureVerifier;
import dev.cronhook.delivery.signing.VerificationResult;
import dev.cronhook.delivery.signing.WebhookSecret;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** What every request a job sends must carry (PRODUCT.md section 5), checked as a receiver would. */
final class JobRequestAssertions {
    static final Pattern RFC3339_UTC = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z");
    static final Pattern EXECUTION_ID = Pattern.compile("exe_[0-9a-z]{26}");

    private JobRequestAssertions() {
    }

    /** The facts of one received request that tests go on to compare with the API. */
    record Received(String executionId, Instant scheduledFor, Instant arrival, long timestamp) {
    }

    /**
     * Checks one received request of a job: method, JSON body, custom headers, the Cronhook headers and both
     * signatures (computed independently with the {@code signing_secret} of the create reply).
     *
     * @param created      the create reply of the job (id, signing_secret)
     * @param method       the method the job was configured with
     * @param jsonBody     the JSON body the job was configured with
     * @param customHeaders the custom headers the job was configured with
     */
    static Received assertSignedJobRequest(LoggedRequest request, JsonNode created, String method, JsonNode jsonBody,
                                           Map<String, String> customHeaders) {
        String where = "request " + request.getMethod() + " " + request.getUrl() + " at " + request.getLoggedDate();
        String secret = created.get("signing_secret").textValue();
        byte[] body = request.getBody();

        assertEquals(method, request.getMethod().value(), where + ": method");
        try {
            assertEquals(jsonBody, Api.JSON.readTree(body), where + ": body");
        } catch (IOException e) {
            throw new AssertionError(where + ": the body is not the configured JSON: " + request.getBodyAsString(), e);
        }
        String contentType = header(request, "Content-Type");
        assertEquals("application/json", contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT),
                where + ": Content-Type of a JSON body, got " + contentType);
        customHeaders.forEach((name, value) -> assertEquals(value, request.getHeader(name), where + ": custom header " + name));

        String userAgent = header(request, "User-Agent");
        assertTrue(userAgent.startsWith("Cronhook/") && userAgent.length() > "Cronhook/".length(),
                where + ": User-Agent should be Cronhook/<version>, got " + userAgent);
        assertEquals(created.get("id").textValue(), header(request, "X-Cronhook-Job-Id"), where + ": X-Cronhook-Job-Id");
        String executionId = header(request, "X-Cronhook-Execution-Id");
        assertTrue(EXECUTION_ID.matcher(executionId).matches(), where + ": X-Cronhook-Execution-Id " + executionId);
        assertEquals(executionId, header(request, "webhook-id"), where + ": webhook-id is the execution id");
        assertEquals("1", header(request, "X-Cronhook-Attempt"), where + ": X-Cronhook-Attempt");

        String scheduledText = header(request, "X-Cronhook-Scheduled-For");
        assertTrue(RFC3339_UTC.matcher(scheduledText).matches(),
                where + ": X-Cronhook-Scheduled-For is not RFC 3339 UTC: " + scheduledText);
        Instant scheduledFor = Instant.parse(scheduledText);
        Instant arrival = Target.arrival(request);
        assertFalse(arrival.isBefore(scheduledFor), where + ": arrived at " + arrival + ", before its scheduled time "
                + scheduledFor);

        assertEquals(Signatures.cronhook(secret, body), header(request, "X-Cronhook-Signature"),
                where + ": X-Cronhook-Signature (HMAC-SHA256 of the body keyed with the whole secret string)");

        String timestamp = header(request, "webhook-timestamp");
        assertTrue(timestamp.matches("[0-9]{1,15}"), where + ": webhook-timestamp " + timestamp);
        long seconds = Long.parseLong(timestamp);
        assertTrue(seconds >= scheduledFor.getEpochSecond() && seconds <= arrival.getEpochSecond(),
                where + ": webhook-timestamp " + seconds + " should be the attempt time, between the scheduled time "
                        + scheduledFor.getEpochSecond() + " and the arrival " + arrival.getEpochSecond());
        String signatures = header(request, "webhook-signature");
        List<String> entries = Arrays.asList(signatures.trim().split(" +"));
        String expected = Signatures.standard(secret, executionId, timestamp, body);
        assertTrue(entries.contains(expected), where + ": webhook-signature " + signatures + " has no entry " + expected);

        // The verifier Cronhook ships for receivers accepts the same request.
        VerificationResult result = new SignatureVerifier(Clock.systemUTC()).verifyStandard(
                Map.of("webhook-id", executionId, "webhook-timestamp", timestamp, "webhook-signature", signatures),
                body, List.of(new WebhookSecret(secret)));
        assertInstanceOf(VerificationResult.Verified.class, result, where + ": SignatureVerifier says " + result);
        return new Received(executionId, scheduledFor, arrival, seconds);
    }

    /** A header that must be present (case-insensitive name). */
    static String header(LoggedRequest request, String name) {
        String value = request.getHeader(name);
        assertNotNull(value, "request " + request.getUrl() + " has no " + name + " header; it has "
                + request.getAllHeaderKeys());
        return value;
    }

    /** Checks an execution as {@code GET /v1/executions/{id}} or a list shows it after a successful first attempt. */
    static void assertSucceeded(JsonNode execution, String jobId, String trigger) {
        String what = "execution " + execution;
        assertEquals(jobId, execution.path("job_id").textValue(), what);
        assertEquals(trigger, execution.path("trigger").textValue(), what);
        assertEquals("succeeded", execution.path("status").textValue(), what);
        JsonNode attempts = execution.path("attempts");
        assertEquals(1, attempts.size(), what + ": one attempt");
        JsonNode attempt = attempts.get(0);
        assertEquals(1, attempt.path("number").asInt(), what);
        assertEquals("success", attempt.path("outcome").textValue(), what);
        assertEquals(200, attempt.path("status_code").asInt(), what);
        assertTrue(RFC3339_UTC.matcher(attempt.path("started_at").asText()).matches(), what + ": started_at");
        assertTrue(RFC3339_UTC.matcher(attempt.path("finished_at").asText()).matches(), what + ": finished_at");
        assertEquals(Target.RESPONSE_BODY, attempt.path("response_body").textValue(), what + ": response_body");
    }
}
