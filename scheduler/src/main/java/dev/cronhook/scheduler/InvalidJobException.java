package dev.cronhook.scheduler;

import java.util.List;

/** The input describes no valid job; {@code errors} names each offending field. */
public final class InvalidJobException extends RuntimeException {
    private final List<FieldError> errors;

    public InvalidJobException(List<FieldError> errors) {
        super("invalid job: " + errors);
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
