package dev.cronhook.scheduler;

/** A validation failure of one input field, named as the API names it. */
public record FieldError(String field, String message) {
}
