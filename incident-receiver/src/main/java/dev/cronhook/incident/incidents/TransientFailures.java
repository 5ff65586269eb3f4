package dev.cronhook.incident.incidents;

import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Runs a transaction again when it lost a race that the database reported: a unique key taken by a concurrent
 * opening, a serialization failure, a deadlock, or a lock wait that timed out (H2 waits one second by default).
 */
public final class TransientFailures {
    static final int MAX_ATTEMPTS = 50;
    /** unique violation, serialization failure, deadlock, lock not available, H2 lock timeout, H2 concurrent update */
    private static final Set<String> STATES = Set.of("23505", "40001", "40P01", "55P03", "HYT00", "90131");

    private TransientFailures() {
    }

    public static <T> T retry(Supplier<T> transaction) {
        for (int attempt = 1; ; attempt++) {
            try {
                return transaction.get();
            } catch (RuntimeException e) {
                if (attempt >= MAX_ATTEMPTS || !transient_(e)) {
                    throw e;
                }
                pause(attempt);
            }
        }
    }

    public static boolean transient_(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && STATES.contains(sql.getSQLState())) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** A short random pause, so racing transactions do not meet again at once. */
    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 2 + Math.min(attempt, 10) * 3L));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a transaction", e);
        }
    }
}
