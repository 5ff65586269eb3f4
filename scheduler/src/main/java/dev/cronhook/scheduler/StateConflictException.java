package dev.cronhook.scheduler;

/** The request is valid but the resource's current state does not allow it (answered with 409). */
public final class StateConflictException extends RuntimeException {
    public StateConflictException(String message) {
        super(message);
    }
}
