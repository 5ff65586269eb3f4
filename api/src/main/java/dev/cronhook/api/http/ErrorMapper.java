package dev.cronhook.api.http;

import dev.cronhook.common.DomainException;
import dev.cronhook.common.db.DatabaseErrors;
import io.helidon.http.HttpException;
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
        // Static content answers a request whose ETag still matches by throwing 304 Not Modified: no problem there.
        if (error instanceof HttpException e && e.status().code() < 400) {
            e.headers().forEach(res::header);
            res.status(e.status()).send();
            return;
        }
        Problem problem = problem(error, where);
        if (problem.status() == 503) {
            res.header("Retry-After", "5");
        }
        Replies.problem(res, problem);
    }

    /** The one mapping of what services refuse, and of everything else, to a problem reply. */
    static Problem problem(Throwable error, String where) {
        return switch (error) {
            case ProblemException e -> e.problem();
            case DomainException e -> domain(e);
            case HttpException e when e.status().code() < 500 -> ProblemDirectHandler.forStatus(e.status());
            case Throwable e when DatabaseErrors.unreachable(e) -> {
                LOG.log(Level.WARNING, "request failed " + where + ": the database cannot be reached");
                yield Problem.of(503, "database-unavailable", "Service unavailable",
                        "the database cannot be reached right now; try again shortly");
            }
            default -> {
                LOG.log(Level.ERROR, "request failed " + where + ": " + error.getClass().getName() + ": " + error.getMessage());
                yield Problem.of(500, "internal", "Internal error", "the request failed on the server; it has been logged");
            }
        };
    }

    private static Problem domain(DomainException error) {
        return switch (error) {
            case DomainException.NotFound e -> Problem.of(404, "not-found", "Not found", e.getMessage());
            case DomainException.UnknownToken e -> Problem.of(404, "not-found", "Not found", e.getMessage());
            case DomainException.Invalid e -> new Problem(422, "validation", "Invalid input", e.getMessage(),
                    e.errors().stream().map(f -> new Problem.FieldProblem(f.field(), f.message())).toList());
            case DomainException.Conflict e -> Problem.of(409, "conflict", "Conflict", e.getMessage());
            case DomainException.Malformed e -> Problem.of(400, "malformed-request", "Malformed request",
                    e.getMessage());
            case DomainException.BadSignature e -> Problem.of(401, "bad-signature", "Bad signature", e.getMessage());
        };
    }
}
