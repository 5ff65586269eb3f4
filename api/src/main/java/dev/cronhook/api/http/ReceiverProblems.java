package dev.cronhook.api.http;

import dev.cronhook.incident.ReceiverException;
import io.helidon.webserver.http.Handler;

/** Turns what the incident receiver refuses into problem replies, the way {@link ErrorMapper} does for jobs. */
final class ReceiverProblems {
    private ReceiverProblems() {
    }

    /** The handler, with receiver refusals answered as problems. */
    static Handler guarded(Handler handler) {
        return (req, res) -> {
            try {
                handler.handle(req, res);
            } catch (ReceiverException e) {
                throw new ProblemException(problem(e));
            }
        };
    }

    static Problem problem(ReceiverException error) {
        return switch (error) {
            case ReceiverException.NotFound e -> Problem.of(404, "not-found", "Not found", e.getMessage());
            case ReceiverException.UnknownToken e -> Problem.of(404, "not-found", "Not found", e.getMessage());
            case ReceiverException.Invalid e -> new Problem(422, "validation", "Invalid input", e.getMessage(),
                    e.errors().stream().map(f -> new Problem.FieldProblem(f.field(), f.message())).toList());
            case ReceiverException.Malformed e -> Problem.of(400, "malformed-request", "Malformed request",
                    e.getMessage());
            case ReceiverException.BadSignature e -> Problem.of(401, "bad-signature", "Bad signature", e.getMessage());
            case ReceiverException.Conflict e -> Problem.of(409, "conflict", "Conflict", e.getMessage());
        };
    }
}
