package dev.cronhook.api.http;

import dev.cronhook.api.codec.JobCodec;
import dev.cronhook.common.Page;
import dev.cronhook.common.PrefixedIds;
import dev.cronhook.scheduler.runs.Execution;
import dev.cronhook.scheduler.runs.ExecutionService;
import dev.cronhook.scheduler.runs.ExecutionStatus;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** {@code /v1/executions}: every run of every job, with its attempts. */
public final class ExecutionsEndpoint implements HttpService {
    private final ExecutionService executions;

    public ExecutionsEndpoint(ExecutionService executions) {
        this.executions = executions;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list).get("/{id}", this::get);
    }

    private void list(ServerRequest req, ServerResponse res) {
        Page<Execution> page = executions.list(Queries.id(req, "job_id", "job"), status(req),
                Queries.id(req, "cursor", "exe"), Queries.limit(req));
        Replies.list(res, page.data(), page.nextCursor(), JobCodec::execution);
    }

    private void get(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("id");
        if (!PrefixedIds.looksLike("exe", id)) {
            throw ProblemException.notFound("no execution " + id);
        }
        Replies.json(res, 200, JobCodec.execution(executions.get(id)));
    }

    static ExecutionStatus status(ServerRequest req) {
        String text = Queries.optional(req, "status");
        if (text == null) {
            return null;
        }
        try {
            return ExecutionStatus.fromWire(text);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("status", "must be one of " + java.util.Arrays.stream(ExecutionStatus.values())
                    .map(ExecutionStatus::wireName).collect(java.util.stream.Collectors.joining(", ")));
        }
    }
}
