package dev.cronhook.api.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Short sleeps and generous deadlines instead of fixed long sleeps. */
final class Poll {
    private static final long STEP_MILLIS = 50;

    private Poll() {
    }

    /** Reads {@code value} until {@code done} accepts it; fails with the last value after {@code timeout}. */
    static <T> T until(String what, Duration timeout, Supplier<T> value, Predicate<T> done) {
        Instant deadline = Instant.now().plus(timeout);
        T last = value.get();
        while (!done.test(last)) {
            if (Instant.now().isAfter(deadline)) {
                fail("waited " + timeout.toMillis() + " ms for " + what + "; last seen: " + last);
            }
            ServerProcess.sleep(STEP_MILLIS);
            last = value.get();
        }
        return last;
    }

    /** Sleeps until {@code instant} (the wall clock, which the server shares). */
    static void sleepUntil(Instant instant) {
        long millis = Duration.between(Instant.now(), instant).toMillis();
        if (millis > 0) {
            ServerProcess.sleep(millis);
        }
    }
}
