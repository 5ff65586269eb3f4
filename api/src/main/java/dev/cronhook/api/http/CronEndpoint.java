package dev.cronhook.api.http;

import dev.cronhook.api.codec.CronCodec;
import dev.cronhook.scheduler.jobs.JobService;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code POST /v1/cron/preview}: the next runs of a cron expression, checked by the scheduler's own cron code exactly
 * as a job's would be, so that a form previewing them never disagrees with what the job will do.
 */
public final class CronEndpoint implements HttpService {
    private final JobService jobs;
    private final RequestBodies bodies;

    public CronEndpoint(JobService jobs, RequestBodies bodies) {
        this.jobs = jobs;
        this.bodies = bodies;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/preview", this::preview);
    }

    private void preview(ServerRequest req, ServerResponse res) {
        CronCodec.Preview preview = CronCodec.decode(bodies.json(req));
        Replies.json(res, 200, CronCodec.preview(preview, jobs.previewCron(preview.cron(), preview.timezone(),
                preview.count())));
    }
}
