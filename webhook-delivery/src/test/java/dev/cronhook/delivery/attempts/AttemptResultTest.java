package dev.cronhook.delivery.attempts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class AttemptResultTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    private static AttemptResult http(int status) {
        return new AttemptResult(
                status < 300 ? Outcome.SUCCESS : Outcome.HTTP_ERROR, status, null, "", null, T0, T0.plusMillis(1234));
    }

    private static AttemptResult failed(Outcome outcome) {
        return new AttemptResult(outcome, null, "x", null, null, T0, T0);
    }

    @Test
    void wireNamesAreLowercase() {
        assertEquals("success", Outcome.SUCCESS.wireName());
        assertEquals("http_error", Outcome.HTTP_ERROR.wireName());
        assertEquals("timeout", Outcome.TIMEOUT.wireName());
        assertEquals("connection_error", Outcome.CONNECTION_ERROR.wireName());
        assertEquals("blocked", Outcome.BLOCKED.wireName());
        for (Outcome outcome : Outcome.values()) {
            assertEquals(outcome, Outcome.fromWireName(outcome.wireName()));
        }
    }

    @Test
    void retryableFollowsTheContract() {
        assertFalse(http(200).retryable());
        assertFalse(http(301).retryable());
        assertFalse(http(400).retryable());
        assertFalse(http(404).retryable());
        assertTrue(http(408).retryable());
        assertTrue(http(429).retryable());
        assertTrue(http(500).retryable());
        assertTrue(http(503).retryable());
        assertTrue(failed(Outcome.TIMEOUT).retryable());
        assertTrue(failed(Outcome.CONNECTION_ERROR).retryable());
        assertFalse(failed(Outcome.BLOCKED).retryable());
        assertFalse(AttemptResult.blocked("private address", T0).retryable());
        // A callback's failure is retried like a 5xx, its absence like a timeout; a wait is not an end to retry.
        assertTrue(withResponse(Outcome.CALLBACK_FAILED).retryable());
        assertTrue(withResponse(Outcome.CALLBACK_TIMEOUT).retryable());
        assertFalse(withResponse(Outcome.AWAITING_CALLBACK).retryable());
    }

    private static AttemptResult withResponse(Outcome outcome) {
        return new AttemptResult(outcome, 202, null, "", null, T0, T0.plusSeconds(60));
    }

    @Test
    void durationIsMeasuredBetweenStartAndFinish() {
        assertEquals(1234, http(200).durationMillis());
    }

    @Test
    void aStatusCodeGoesWithAnHttpOutcomeOnly() {
        assertThrows(IllegalArgumentException.class,
                () -> new AttemptResult(Outcome.HTTP_ERROR, null, null, null, null, T0, T0));
        assertThrows(IllegalArgumentException.class,
                () -> new AttemptResult(Outcome.TIMEOUT, 200, null, null, null, T0, T0));
        assertThrows(IllegalArgumentException.class,
                () -> new AttemptResult(Outcome.CALLBACK_TIMEOUT, null, null, null, null, T0, T0),
                "a callback outcome follows a 2xx");
    }
}
