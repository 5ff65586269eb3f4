package dev.cronhook.common.db;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLTransientException;

/** Tells the database being out of reach from other failures, whatever wraps the driver's exception. */
public final class DatabaseErrors {
    private DatabaseErrors() {
    }

    /** No connection within the wait, a connection lost, or a connection refused (SQLState class 08). */
    public static boolean unreachable(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLTransientConnectionException || cause instanceof SQLNonTransientConnectionException
                    || cause instanceof SQLRecoverableException || cause instanceof ConnectException) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The database is out of reach, or refused for a reason that passes by itself, so the same statements may go
     * through when tried again: a serialization failure or deadlock (SQLState class 40), too little of a resource
     * (class 53), a shutdown or a cancelled statement (57P01–57P03, 57014), or a driver's transient exception (a
     * timeout, a rollback). Anything else — a constraint, a value the column cannot take — fails again the same way.
     */
    public static boolean retryable(Throwable error) {
        if (unreachable(error)) {
            return true;
        }
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLTransientException) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("40") || state.startsWith("53") || state.startsWith("57P")
                        || state.equals("57014")) {
                    return true;
                }
            }
        }
        return false;
    }
}
