package dev.cronhook.api.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cronhook.api.codec.JobCodec;
import dev.cronhook.api.codec.Json;
import dev.cronhook.common.Page;
import dev.cronhook.common.PrefixedIds;
import dev.cronhook.scheduler.jobs.Job;
import dev.cronhook.scheduler.jobs.JobService;
import dev.cronhook.scheduler.jobs.JobType;
import dev.cronhook.scheduler.runs.Execution;
import dev.cronhook.scheduler.runs.ExecutionService;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** {@code /v1/jobs}: create, read, change, delete, pause, resume, trigger, rotate the secret, preview runs. */
public final class JobsEndpoint implements HttpService {
    private final JobService jobs;
    private final ExecutionService executions;
    private final RequestBodies bodies;
    /** A cron job's status depends on the time it is read at. */
    private final Clock clock;

    public JobsEndpoint(JobService jobs, ExecutionService executions, RequestBodies bodies, Clock clock) {
        this.jobs = jobs;
        this.executions = executions;
        this.bodies = bodies;
        this.clock = clock;
    }

    static final int MAX_QUERY = 200;

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::create)
                .get("/", this::list)
                .get("/{id}", this::get)
                .patch("/{id}", this::update)
                .delete("/{id}", this::delete)
                .post("/{id}/pause", this::pause)
                .post("/{id}/resume", this::resume)
                .post("/{id}/trigger", this::trigger)
                .post("/{id}/rotate-secret", this::rotateSecret)
                .get("/{id}/next-runs", this::nextRuns)
                .get("/{id}/executions", this::executions);
    }

    private void create(ServerRequest req, ServerResponse res) {
        Replies.json(res, 201, JobCodec.jobWithSecret(jobs.create(JobCodec.decode(bodies.json(req))), clock.instant()));
    }

    private void list(ServerRequest req, ServerResponse res) {
        JobType type = switch (Queries.optional(req, "type")) {
            case null -> null;
            case "cron" -> JobType.CRON;
            case "once" -> JobType.ONCE;
            default -> throw ProblemException.invalid("type", "must be cron or once");
        };
        // An empty search box lists every job.
        String q = Queries.optional(req, "q");
        q = q == null || q.isBlank() ? null : q.strip();
        if (q != null && q.length() > MAX_QUERY) {
            throw ProblemException.invalid("q", "must be at most " + MAX_QUERY + " characters of the name to find");
        }
        Page<Job> page = jobs.list(type, Queries.bool(req, "enabled"), q, Queries.id(req, "cursor", "job"),
                Queries.limit(req));
        Instant now = clock.instant();
        Map<String, Execution> latest = executions.latestOf(page.data().stream().map(Job::id).toList());
        Replies.list(res, page.data(), page.nextCursor(), job -> JobCodec.job(job, now, latest.get(job.id())));
    }

    private void get(ServerRequest req, ServerResponse res) {
        Job job = jobs.get(id(req));
        Replies.json(res, 200, JobCodec.job(job, clock.instant(), executions.latestOf(List.of(job.id())).get(job.id())));
    }

    private void update(ServerRequest req, ServerResponse res) {
        String id = id(req);
        Replies.json(res, 200, JobCodec.job(jobs.update(id, JobCodec.decode(bodies.json(req))), clock.instant()));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        jobs.delete(id(req));
        res.status(204).send();
    }

    private void pause(ServerRequest req, ServerResponse res) {
        String id = id(req);
        Replies.json(res, 200, JobCodec.job(jobs.pause(id, JobCodec.pauseReason(bodies.json(req))), clock.instant()));
    }

    private void resume(ServerRequest req, ServerResponse res) {
        Replies.json(res, 200, JobCodec.job(jobs.resume(id(req)), clock.instant()));
    }

    private void trigger(ServerRequest req, ServerResponse res) {
        Execution execution = executions.trigger(id(req));
        ObjectNode body = JobCodec.execution(execution);
        body.put("execution_id", execution.id());
        Replies.json(res, 202, body);
    }

    private void rotateSecret(ServerRequest req, ServerResponse res) {
        Replies.json(res, 200, JobCodec.jobWithSecret(jobs.rotateSecret(id(req)), clock.instant()));
    }

    private void nextRuns(ServerRequest req, ServerResponse res) {
        String id = id(req);
        int count = Queries.count(req, "count", 10, 100);
        List<Instant> runs = jobs.nextRuns(id, count);
        ObjectNode body = Json.object();
        ArrayNode data = body.putArray("data");
        runs.forEach(run -> data.add(Json.time(run)));
        Replies.json(res, 200, body);
    }

    private void executions(ServerRequest req, ServerResponse res) {
        String id = id(req);
        Page<Execution> page = executions.ofJob(id, ExecutionsEndpoint.status(req), Queries.id(req, "cursor", "exe"),
                Queries.limit(req));
        Replies.list(res, page.data(), page.nextCursor(), JobCodec::execution);
    }

    private static String id(ServerRequest req) {
        String id = req.path().pathParameters().get("id");
        if (!PrefixedIds.looksLike("job", id)) {
            throw ProblemException.notFound("no job " + id);
        }
        return id;
    }
}
