package dev.cronhook.common;

import java.util.ArrayList;
import java.util.List;

/** Collects what is wrong with each field of one request, so the reply names them all at once. */
public final class FieldErrors {
    private final List<FieldError> list = new ArrayList<>();

    public void add(String field, String message) {
        list.add(new FieldError(field, message));
    }

    /** Errors found before, such as the wire format's, named first. */
    public void addAll(List<FieldError> errors) {
        list.addAll(errors);
    }

    public boolean has(String field) {
        return list.stream().anyMatch(e -> e.field().equals(field));
    }

    public boolean any() {
        return !list.isEmpty();
    }

    public void throwIfAny() {
        if (!list.isEmpty()) {
            throw new DomainException.Invalid(list);
        }
    }
}
