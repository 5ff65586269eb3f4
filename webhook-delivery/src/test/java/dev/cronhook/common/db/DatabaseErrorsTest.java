package dev.cronhook.common.db;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class DatabaseErrorsTest {

    private static RuntimeException wrapped(Throwable cause) {
        return new IllegalStateException("Failed to execute statement", cause);
    }

    @Test
    void theDatabaseAwayOrAFailureThatPassesIsWorthTryingAgain() {
        assertTrue(DatabaseErrors.retryable(wrapped(new SQLTransientConnectionException("pool empty"))));
        assertTrue(DatabaseErrors.retryable(wrapped(new SQLException("refused", "08001", new ConnectException()))));
        assertTrue(DatabaseErrors.retryable(wrapped(new SQLException("could not serialize access", "40001"))));
        assertTrue(DatabaseErrors.retryable(wrapped(new SQLException("deadlock detected", "40P01"))));
        assertTrue(DatabaseErrors.retryable(wrapped(new SQLException("too many connections", "53300"))));
        assertTrue(DatabaseErrors.retryable(wrapped(new SQLException("terminating connection", "57P01"))));
        assertTrue(DatabaseErrors.retryable(wrapped(new SQLTimeoutException("statement timeout"))));
    }

    @Test
    void aRefusedValueOrConstraintFailsAgainTheSameWay() {
        assertFalse(DatabaseErrors.retryable(wrapped(new SQLException("duplicate key", "23505"))));
        assertFalse(DatabaseErrors.retryable(wrapped(new SQLException("value too long", "22001"))));
        assertFalse(DatabaseErrors.retryable(wrapped(new SQLException("no state"))));
        assertFalse(DatabaseErrors.retryable(new IllegalArgumentException("a bug of ours")));
    }
}
