package dev.cronhook.scheduler;

import dev.cronhook.common.DomainException;
import dev.cronhook.common.FieldError;
import java.util.ArrayList;
import java.util.List;

/** Collects what is wrong with each field of one request, so the reply names them all at once. */
final class FieldErrors {
    private final List<FieldError> list = new ArrayList<>();

    void add(String field, String message) {
        list.add(new FieldError(field, message));
    }

    boolean has(String field) {
        return list.stream().anyMatch(e -> e.field().equals(field));
    }

    boolean any() {
        return !list.isEmpty();
    }

    void throwIfAny() {
        if (!list.isEmpty()) {
            throw new DomainException.Invalid(list);
        }
    }
}
