package dev.cronhook.delivery.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cronhook.delivery.attempts.AttemptResult;
import dev.cronhook.delivery.attempts.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static final RetryPolicy POLICY = new RetryPolicy(DeliverySettings.defaults().retryDelays());

    @Test
    void successIsDone() {
        assertEquals(new RetryPolicy.Succeeded(), POLICY.decide(http(200, null), 1, NOW));
    }

    @Test
    void retryableFailuresFollowTheTableOfDelays() {
        List<Duration> expected = List.of(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(30),
                Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10));
        for (int attempt = 1; attempt <= expected.size(); attempt++) {
            assertEquals(new RetryPolicy.RetryAt(NOW.plus(expected.get(attempt - 1))),
                    POLICY.decide(http(503, null), attempt, NOW), "after attempt " + attempt);
        }
    }

    @Test
    void theSeventhFailureIsFinal() {
        assertEquals(new RetryPolicy.Failed(false), POLICY.decide(http(503, null), 7, NOW));
    }

    @Test
    void timeoutsConnectionErrors408And429AreRetried() {
        RetryPolicy.Verdict retry = new RetryPolicy.RetryAt(NOW.plusSeconds(5));
        assertEquals(retry, POLICY.decide(failure(Outcome.TIMEOUT), 1, NOW));
        assertEquals(retry, POLICY.decide(failure(Outcome.CONNECTION_ERROR), 1, NOW));
        assertEquals(retry, POLICY.decide(http(408, null), 1, NOW));
        assertEquals(retry, POLICY.decide(http(429, null), 1, NOW));
    }

    @Test
    void otherClientErrorsRedirectsAndBlockedAreFinal() {
        RetryPolicy.Verdict failed = new RetryPolicy.Failed(false);
        assertEquals(failed, POLICY.decide(http(400, null), 1, NOW));
        assertEquals(failed, POLICY.decide(http(404, null), 1, NOW));
        assertEquals(failed, POLICY.decide(http(301, null), 1, NOW));
        assertEquals(failed, POLICY.decide(AttemptResult.blocked("not allowed", NOW), 1, NOW));
    }

    @Test
    void goneIsFinalAndSaysSo() {
        assertEquals(new RetryPolicy.Failed(true), POLICY.decide(http(410, null), 1, NOW));
    }

    @Test
    void aLongerRetryAfterIsHonouredAShorterOneIsNot() {
        assertEquals(new RetryPolicy.RetryAt(NOW.plusSeconds(90)),
                POLICY.decide(http(429, Duration.ofSeconds(90)), 1, NOW));
        assertEquals(new RetryPolicy.RetryAt(NOW.plus(Duration.ofMinutes(5))),
                POLICY.decide(http(503, Duration.ofSeconds(30)), 2, NOW));
    }

    @Test
    void retryAfterIsCappedAtTheLongestDelayOfTheTable() {
        assertEquals(new RetryPolicy.RetryAt(NOW.plus(Duration.ofHours(10))),
                POLICY.decide(http(503, Duration.ofDays(30)), 1, NOW));
    }

    @Test
    void withoutRetryDelaysThereIsOneAttempt() {
        assertEquals(new RetryPolicy.Failed(false), new RetryPolicy(List.of()).decide(http(503, null), 1, NOW));
    }

    private static AttemptResult http(int status, Duration retryAfter) {
        Outcome outcome = status >= 200 && status <= 299 ? Outcome.SUCCESS : Outcome.HTTP_ERROR;
        return new AttemptResult(outcome, status, outcome == Outcome.SUCCESS ? null : "HTTP " + status, "", retryAfter,
                NOW, NOW);
    }

    private static AttemptResult failure(Outcome outcome) {
        return new AttemptResult(outcome, null, outcome.wireName(), null, null, NOW, NOW);
    }
}
