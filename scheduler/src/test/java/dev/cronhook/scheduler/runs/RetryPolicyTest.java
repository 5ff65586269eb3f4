package dev.cronhook.scheduler.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cronhook.delivery.attempts.AttemptResult;
import dev.cronhook.delivery.attempts.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RetryPolicyTest {
    private static final Instant START = Instant.parse("2026-11-22T10:00:00Z");
    private static final Instant END = START.plusMillis(250);
    private final RetryPolicy policy = RetryPolicy.defaults();

    @Test
    void theDefaultTableWaitsOneFiveThirtyMinutesTwoAndEightHoursFromTheFailure() {
        List<Duration> expected = List.of(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(30),
                Duration.ofHours(2), Duration.ofHours(8));
        for (int attempt = 1; attempt <= 5; attempt++) {
            assertEquals(END.plus(expected.get(attempt - 1)), policy.nextAttemptAt(attempt, status(503, null)),
                    "after attempt " + attempt);
        }
        assertEquals(6, policy.maxAttempts());
        assertNull(policy.nextAttemptAt(6, status(503, null)), "the sixth failure is final");
    }

    @ParameterizedTest
    @ValueSource(ints = {408, 429, 500, 502, 503, 504, 599})
    void retryableStatusesRetry(int status) {
        assertEquals(END.plus(Duration.ofMinutes(1)), policy.nextAttemptAt(1, status(status, null)));
    }

    @ParameterizedTest
    @ValueSource(ints = {300, 301, 302, 304, 400, 401, 403, 404, 409, 410, 422})
    void otherStatusesAreFinal(int status) {
        assertNull(policy.nextAttemptAt(1, status(status, null)));
    }

    @Test
    void timeoutsAndConnectionErrorsRetryBlockedDoesNot() {
        assertEquals(END.plus(Duration.ofMinutes(1)), policy.nextAttemptAt(1, failure(Outcome.TIMEOUT)));
        assertEquals(END.plus(Duration.ofMinutes(1)), policy.nextAttemptAt(1, failure(Outcome.CONNECTION_ERROR)));
        assertNull(policy.nextAttemptAt(1, AttemptResult.blocked("169.254.169.254 is link-local", START)));
        assertNull(policy.nextAttemptAt(1, new AttemptResult(Outcome.SUCCESS, 200, null, "", null, START, END)));
    }

    @Test
    void aLongerRetryAfterIsHonouredAShorterOneIsNot() {
        assertEquals(END.plus(Duration.ofMinutes(10)), policy.nextAttemptAt(1, status(429, Duration.ofMinutes(10))));
        assertEquals(END.plus(Duration.ofMinutes(5)), policy.nextAttemptAt(2, status(503, Duration.ofSeconds(30))));
        assertEquals(END.plus(RetryPolicy.MAX_RETRY_AFTER), policy.nextAttemptAt(1, status(503, Duration.ofDays(400))),
                "capped at a week");
    }

    @Test
    void aCustomTableSetsTheAttemptCount() {
        RetryPolicy two = new RetryPolicy(List.of(Duration.ofSeconds(2)));
        assertEquals(2, two.maxAttempts());
        assertEquals(END.plusSeconds(2), two.nextAttemptAt(1, failure(Outcome.TIMEOUT)));
        assertNull(two.nextAttemptAt(2, failure(Outcome.TIMEOUT)));
        assertNull(new RetryPolicy(List.of()).nextAttemptAt(1, failure(Outcome.TIMEOUT)), "no retries at all");
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(List.of(Duration.ofSeconds(-1))));
    }

    private static AttemptResult status(int code, Duration retryAfter) {
        return new AttemptResult(Outcome.HTTP_ERROR, code, "HTTP " + code, null, retryAfter, START, END);
    }

    private static AttemptResult failure(Outcome outcome) {
        return new AttemptResult(outcome, null, "failed", null, null, START, END);
    }
}
