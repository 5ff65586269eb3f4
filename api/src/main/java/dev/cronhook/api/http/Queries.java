package dev.cronhook.api.http;

import io.helidon.webserver.http.ServerRequest;

/** Query parameters shared by list routes. */
public final class Queries {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    private Queries() {
    }

    /** A query parameter, null when absent or empty; 400 when it holds a control character (a NUL, say). */
    public static String optional(ServerRequest req, String name) {
        String value = req.query().first(name).filter(text -> !text.isEmpty()).orElse(null);
        if (value != null && RequestBodies.hasControlCharacter(value)) {
            throw new ProblemException(new Problem(400, "malformed-request", "Malformed request",
                    name + " must not contain control characters",
                    java.util.List.of(new Problem.FieldProblem(name, "must not contain control characters"))));
        }
        return value;
    }

    /**
     * A query parameter that names an id ({@code cursor}, {@code job_id}): null when absent; 400 naming it when it
     * cannot be an id of that kind, since no such filter or page could ever match.
     */
    public static String id(ServerRequest req, String name, String prefix) {
        String value = optional(req, name);
        if (value != null && !dev.cronhook.common.PrefixedIds.looksLike(prefix, value)) {
            throw new ProblemException(new Problem(400, "malformed-request", "Malformed request",
                    name + " must be an id such as " + prefix + "_…",
                    java.util.List.of(new Problem.FieldProblem(name, "must be an id such as " + prefix + "_…"))));
        }
        return value;
    }

    public static int limit(ServerRequest req) {
        String text = optional(req, "limit");
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw ProblemException.invalid("limit", "must be a whole number from 1 to " + MAX_LIMIT);
    }

    public static int count(ServerRequest req, String name, int defaultValue, int max) {
        String text = optional(req, name);
        if (text == null) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(text);
            if (value >= 1 && value <= max) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw ProblemException.invalid(name, "must be a whole number from 1 to " + max);
    }

    public static Boolean bool(ServerRequest req, String name) {
        String text = optional(req, name);
        if (text == null) {
            return null;
        }
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ProblemException.invalid(name, "must be true or false");
        };
    }
}
