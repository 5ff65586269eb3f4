package dev.cronhook.common.cron;

import java.io.Serial;

/**
 * A cron expression that cannot be parsed. The message is written for the person who typed the
 * expression: it names the offending field (e.g. {@code minute: 61 is out of range 0-59}) or says
 * what is wrong with the expression as a whole.
 */
public final class InvalidCronException extends IllegalArgumentException {

    @Serial
    private static final long serialVersionUID = 1L;

    public InvalidCronException(String message) {
        super(message);
    }
}
