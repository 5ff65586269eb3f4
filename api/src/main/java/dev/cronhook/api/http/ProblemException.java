package dev.cronhook.api.http;

import java.util.List;

/** Thrown by handlers to answer with a problem; the error handler turns it into application/problem+json. */
public final class ProblemException extends RuntimeException {
    private final Problem problem;

    public ProblemException(Problem problem) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(Problem.of(400, "malformed-request", "Malformed request", detail));
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(Problem.of(404, "not-found", "Not found", detail));
    }

    public static ProblemException invalid(String field, String message) {
        return new ProblemException(new Problem(422, "validation", "Invalid input", field + " " + message,
                List.of(new Problem.FieldProblem(field, message))));
    }
}
