package dev.cronhook.api.http;

import dev.cronhook.delivery.db.DatabaseErrors;
import dev.cronhook.scheduler.InvalidInputException;
import dev.cronhook.scheduler.NotFoundException;
import dev.cronhook.scheduler.StateConflictException;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerResponse;
import java.lang.System.Logger.Level;

/** Maps what handlers throw to problem replies; an unexpected failure shows no stack trace or SQL. */
public final class ErrorMapper {
    private static final System.Logger LOG = System.getLogger(ErrorMapper.class.getName());

    private ErrorMapper() {
    }

    public static void register(HttpRouting.Builder routing) {
        routing.error(Throwable.class, (req, res, error) -> reply(res, error, req.prologue().method().text() + " "
                + req.path().path()));
    }

    static void reply(ServerResponse res, Throwable error, String where) {
        if (res.isSent()) {
            return;
        }
        Problem problem = switch (error) {
            case ProblemException e -> e.problem();
            case InvalidInputException e -> new Problem(422, "validation", "Invalid input", e.errors().size() == 1
                    ? e.errors().getFirst().field() + " " + e.errors().getFirst().message()
                    : "the input is not valid; see errors",
                    e.errors().stream().map(f -> new Problem.FieldProblem(f.field(), f.message())).toList());
            case NotFoundException e -> Problem.of(404, "not-found", "Not found", e.getMessage());
            case StateConflictException e -> Problem.of(409, "conflict", "Conflict", e.getMessage());
            case Throwable e when DatabaseErrors.unreachable(e) -> {
                LOG.log(Level.WARNING, "request failed " + where + ": the database cannot be reached");
                res.header("Retry-After", "5");
                yield Problem.of(503, "database-unavailable", "Service unavailable",
                        "the database cannot be reached right now; try again shortly");
            }
            default -> {
                LOG.log(Level.ERROR, "request failed " + where + ": " + error.getClass().getName() + ": " + error.getMessage());
                yield Problem.of(500, "internal", "Internal error", "the request failed on the server; it has been logged");
            }
        };
        Replies.problem(res, problem);
    }
}
