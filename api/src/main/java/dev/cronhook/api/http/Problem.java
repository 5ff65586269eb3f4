package dev.cronhook.api.http;

import java.util.List;

/** An RFC 9457 problem: what went wrong, for people and for programs. */
public record Problem(int status, String slug, String title, String detail, List<FieldProblem> errors) {

    public record FieldProblem(String field, String message) {
    }

    public static Problem of(int status, String slug, String title, String detail) {
        return new Problem(status, slug, title, detail, List.of());
    }

    public String type() {
        return "urn:cronhook:problem:" + slug;
    }
}
