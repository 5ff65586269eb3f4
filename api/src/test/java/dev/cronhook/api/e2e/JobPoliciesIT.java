package dev.cronhook.api.e2e;

import static dev.cronhook.api.e2e.JobRequestAssertions.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Job policies of PRODUCT.md section 10 on the packaged server (H2) with a WireMock target: a cron job's end, and a
 * pause that says why.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JobPoliciesIT extends AgainstPackagedServer {
    private static final String NEVER_IN_A_TEST = "0 0 1 1 *";

    @Override
    String serverName() {
        return "job-policies";
    }

    @Test
    void aCronJobSendsNoRunAfterItsEndShowsEndedAndAMovedEndStartsItAgain() {
        String path = "/policies/end";
        Instant end = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(3);
        JsonNode created = api.createJob(cronJob("ends soon", path, "* * * * * *").put("end_at", end.toString()));
        String jobId = created.get("id").textValue();
        try {
            assertEquals("active", created.path("status").textValue(), "" + created);
            assertEquals(end, Instant.parse(created.path("end_at").asText()), "" + created);
            assertTrue(created.path("paused_reason").isNull(), "" + created);

            Poll.sleepUntil(end.plusMillis(2500));
            List<LoggedRequest> sent = target.requests(path);
            assertTrue(sent.size() >= 2, "an every-second job with 3 s to go: " + sent.size() + " requests");
            for (LoggedRequest request : sent) {
                Instant slot = Instant.parse(header(request, "X-Cronhook-Scheduled-For"));
                assertFalse(slot.isAfter(end), "a run after end_at " + end + ": " + slot);
            }
            assertTrue(sent.stream().anyMatch(r -> Instant.parse(header(r, "X-Cronhook-Scheduled-For")).equals(end)),
                    "the slot at end_at itself runs");
            JsonNode ended = api.job(jobId);
            assertEquals("ended", ended.path("status").textValue(), "" + ended);
            assertTrue(ended.path("next_run_at").isNull(), "an ended job plans nothing: " + ended);
            assertTrue(ended.path("enabled").asBoolean(false), "ending is not pausing: " + ended);
            assertEquals(0, api.get("/v1/jobs/" + jobId + "/next-runs").expect(200).get("data").size());
            for (JsonNode execution : api.executionsOf(jobId)) {
                assertFalse(Instant.parse(execution.path("scheduled_for").asText()).isAfter(end), "" + execution);
            }

            Instant later = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(60);
            JsonNode moved = api.patch("/v1/jobs/" + jobId, Api.object().put("end_at", later.toString())).expect(200);
            assertEquals("active", moved.path("status").textValue(), "" + moved);
            assertFalse(moved.path("next_run_at").isNull(), "a moved end plans the next run: " + moved);
            Instant movedAt = Instant.now();
            Poll.until("a run after the end moved", Duration.ofSeconds(5), () -> target.requests(path),
                    list -> list.stream().anyMatch(r -> Target.arrival(r).isAfter(movedAt)));
        } finally {
            api.delete("/v1/jobs/" + jobId);
        }
    }

    @Test
    void endAtIsForCronJobsAndNotInThePast() {
        ObjectNode once = Api.object().put("name", "once").put("url", target.url("/policies/once"))
                .put("run_at", Instant.now().plusSeconds(3600).toString())
                .put("end_at", Instant.now().plusSeconds(7200).toString());
        assertNamesOnly(api.post("/v1/jobs", once), "end_at");
        assertNamesOnly(api.post("/v1/jobs", cronJob("past end", "/policies/past", NEVER_IN_A_TEST)
                .put("end_at", "2020-01-01T00:00:00Z")), "end_at");
        assertNamesOnly(api.post("/v1/jobs", cronJob("bad end", "/policies/bad", NEVER_IN_A_TEST)
                .put("end_at", "next friday")), "end_at");
    }

    @Test
    void aPauseKeepsItsReasonUntilTheJobResumes() {
        JsonNode created = api.createJob(cronJob("maintained", "/policies/pause", NEVER_IN_A_TEST));
        String jobId = created.get("id").textValue();
        String pause = "/v1/jobs/" + jobId + "/pause";
        try {
            assertEquals("active", created.path("status").textValue(), "" + created);
            JsonNode paused = api.post(pause, Api.object().put("reason", "database maintenance until 14:00"))
                    .expect(200);
            assertEquals("paused", paused.path("status").textValue(), "" + paused);
            assertEquals("database maintenance until 14:00", paused.path("paused_reason").textValue(), "" + paused);
            assertEquals(paused.path("paused_reason"), api.job(jobId).path("paused_reason"), "kept");

            // Refused reasons name the field and leave the job as it was.
            assertNamesOnly(api.post(pause, Api.object().put("reason", " ")), "reason");
            assertNamesOnly(api.post(pause, Api.object().put("reason", 42)), "reason");
            assertNamesOnly(api.post(pause, Api.object().put("reason", "x".repeat(501))), "reason");
            assertNamesOnly(api.post(pause, Api.object().put("why", "no")), "why");
            assertEquals("database maintenance until 14:00", api.job(jobId).path("paused_reason").textValue());

            JsonNode resumed = api.post("/v1/jobs/" + jobId + "/resume").expect(200);
            assertEquals("active", resumed.path("status").textValue(), "" + resumed);
            assertTrue(resumed.path("paused_reason").isNull(), "a running job has no pause reason: " + resumed);

            JsonNode silent = api.post(pause).expect(200);
            assertEquals("paused", silent.path("status").textValue(), "" + silent);
            assertTrue(silent.path("paused_reason").isNull(), "a pause without a body says no reason: " + silent);
            // A fetched job sent back whole is accepted, its read-only fields ignored.
            JsonNode sentBack = api.patch("/v1/jobs/" + jobId, api.job(jobId)).expect(200);
            assertEquals("paused", sentBack.path("status").textValue(), "" + sentBack);
        } finally {
            api.delete("/v1/jobs/" + jobId);
        }
    }

    private static void assertNamesOnly(Api.Reply reply, String field) {
        assertEquals(422, reply.status(), "" + reply);
        assertTrue(reply.contentType().startsWith("application/problem+json"), "" + reply);
        JsonNode errors = reply.json().path("errors");
        assertEquals(1, errors.size(), "" + reply);
        assertEquals(field, errors.get(0).path("field").textValue(), "" + reply);
        assertFalse(errors.get(0).path("message").asText().isBlank(), "" + reply);
    }

    private ObjectNode cronJob(String name, String path, String cron) {
        return Api.object().put("name", name).put("url", target.url(path)).put("cron", cron);
    }
}
