package dev.cronhook.common;

import java.util.List;

/**
 * What a service refuses, in every module: the API maps each kind to one problem reply (status and type) in one
 * place. Messages never contain tokens or secrets: they reach logs and problem replies. No stack trace is taken: these
 * are answers, not faults.
 */
public abstract sealed class DomainException extends RuntimeException {

    DomainException(String message) {
        super(message, null, false, false);
    }

    /** No such job, execution, webhook, integration, incident or channel (404). */
    public static final class NotFound extends DomainException {
        public NotFound(String message) {
            super(message);
        }
    }

    /** A token in a URL (intake, callback) names nothing (404). */
    public static final class UnknownToken extends DomainException {
        public UnknownToken() {
            super("no integration has this token");
        }

        public UnknownToken(String message) {
            super(message);
        }
    }

    /** The input is not valid; {@link #errors} names each offending field (422). */
    public static final class Invalid extends DomainException {
        private final List<FieldError> errors;

        public Invalid(List<FieldError> errors) {
            super(errors.size() != 1 ? "the input is not valid; see errors"
                    // An error of the whole body names no field: its message says it all.
                    : errors.getFirst().field().isEmpty() ? errors.getFirst().message()
                    : errors.getFirst().field() + " " + errors.getFirst().message());
            this.errors = List.copyOf(errors);
        }

        public static Invalid of(String field, String message) {
            return new Invalid(List.of(new FieldError(field, message)));
        }

        public List<FieldError> errors() {
            return errors;
        }
    }

    /** The request is valid but the resource's current state does not allow it (409). */
    public static final class Conflict extends DomainException {
        public Conflict(String message) {
            super(message);
        }
    }

    /** An event body that cannot be read at all, e.g. not JSON (400). */
    public static final class Malformed extends DomainException {
        public Malformed(String message) {
            super(message);
        }
    }

    /** The integration has a signing secret and the event's signature is missing or wrong (401). */
    public static final class BadSignature extends DomainException {
        public BadSignature(String message) {
            super(message);
        }
    }
}
