package dev.cronhook.incident;

/**
 * What the receiver refuses, each kind answered with its own HTTP status by the API. Messages never contain tokens
 * or secrets: they reach logs and problem replies.
 */
public abstract sealed class ReceiverException extends RuntimeException {

    ReceiverException(String message) {
        super(message, null, false, false);
    }

    /** No such integration, incident or channel (404). */
    public static final class NotFound extends ReceiverException {
        public NotFound(String message) {
            super(message);
        }
    }

    /** The intake token names no integration (404). */
    public static final class UnknownToken extends ReceiverException {
        public UnknownToken() {
            super("no integration has this token");
        }
    }

    /** The input is not valid, or an event has a shape its integration type cannot read (422). */
    public static final class Invalid extends ReceiverException {
        private final java.util.List<FieldError> errors;

        public Invalid(java.util.List<FieldError> errors) {
            super(errors.size() == 1 ? errors.getFirst().field() + " " + errors.getFirst().message()
                    : "the input is not valid; see errors");
            this.errors = java.util.List.copyOf(errors);
        }

        public static Invalid of(String field, String message) {
            return new Invalid(java.util.List.of(new FieldError(field, message)));
        }

        public java.util.List<FieldError> errors() {
            return errors;
        }
    }

    /** The event body is not JSON (400). */
    public static final class Malformed extends ReceiverException {
        public Malformed(String message) {
            super(message);
        }
    }

    /** The integration has a signing secret and the event's signature is missing or wrong (401). */
    public static final class BadSignature extends ReceiverException {
        public BadSignature(String message) {
            super(message);
        }
    }

    /** The request is valid but the resource's state does not allow it (409). */
    public static final class Conflict extends ReceiverException {
        public Conflict(String message) {
            super(message);
        }
    }
}
