package dev.cronhook.incident;

/** One reason an input was refused: the field, with dots for nesting ({@code payload.summary}), and why. */
public record FieldError(String field, String message) {
}
