package dev.cronhook.common;

/** One reason an input was refused: the field as the API names it, with dots for nesting ({@code payload.summary}). */
public record FieldError(String field, String message) {
}
