package dev.cronhook.scheduler.runs;

import dev.cronhook.delivery.http.OutgoingRequest;
import dev.cronhook.delivery.signing.RequestSigner;
import dev.cronhook.scheduler.jobs.Job;
import dev.cronhook.scheduler.jobs.JobDefinition;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the HTTP request one attempt of a job sends (PRODUCT.md section 5). */
final class JobRequests {
    private static final byte[] NO_BODY = new byte[0];
    static final String CALLBACK_URL_HEADER = "X-Cronhook-Callback-Url";

    private JobRequests() {
    }

    static OutgoingRequest build(ClaimedRun run, Instant attemptTime) {
        Job job = run.job();
        JobDefinition definition = job.definition();
        byte[] body = definition.body() == null ? NO_BODY : definition.body().text().getBytes(StandardCharsets.UTF_8);

        Map<String, String> headers = new LinkedHashMap<>();
        if (definition.body() != null && !hasHeader(definition.headers(), "content-type")) {
            headers.put("Content-Type", definition.body().json() ? "application/json" : "text/plain; charset=utf-8");
        }
        headers.put("X-Cronhook-Job-Id", job.id());
        headers.put("X-Cronhook-Execution-Id", run.executionId());
        headers.put("X-Cronhook-Attempt", Integer.toString(run.attemptNumber()));
        headers.put("X-Cronhook-Scheduled-For", DateTimeFormatter.ISO_INSTANT.format(run.scheduledFor()));
        if (run.callbackUrl() != null) {
            headers.put(CALLBACK_URL_HEADER, run.callbackUrl());
        }
        headers.putAll(RequestSigner.signatureHeaders(run.executionId(), attemptTime, body,
                job.secrets().active(attemptTime)));
        headers.putAll(definition.headers());
        return new OutgoingRequest(definition.url(), definition.method(), headers, body,
                Duration.ofSeconds(definition.timeoutSeconds()));
    }

    private static boolean hasHeader(Map<String, String> headers, String name) {
        return headers.keySet().stream().anyMatch(key -> key.equalsIgnoreCase(name));
    }
}
