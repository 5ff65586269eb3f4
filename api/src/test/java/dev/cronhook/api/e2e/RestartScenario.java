package dev.cronhook.api.e2e;

import static dev.cronhook.api.e2e.JobRequestAssertions.assertSignedJobRequest;
import static dev.cronhook.api.e2e.JobRequestAssertions.assertSucceeded;
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
import java.util.Map;
import java.util.UUID;

/**
 * The restart scenario, shared with the PostgreSQL test: a one-time job due 4 s after creation (the server is
 * stopped at once, before it falls due) and one due well after the restart.
 */
record RestartScenario(String missedPath, JsonNode missed, Instant missedRunAt,
                       String laterPath, JsonNode later, Instant laterRunAt) {
    /**
     * How long the server stays down after the missed run's time. The server records a run as a catch-up when it
     * claims it more than 5 s late (SchedulerSettings.catchUpAfter); the downtime alone exceeds that, so the
     * trigger does not depend on how fast the server starts.
     */
    static final Duration DOWN_PAST_DUE = Duration.ofSeconds(6);

    static RestartScenario prepare(Api api, Target target, Instant now) {
        String missedPath = "/restart/missed-" + UUID.randomUUID();
        String laterPath = "/restart/later-" + UUID.randomUUID();
        Instant missedRunAt = now.plusSeconds(4).truncatedTo(ChronoUnit.MILLIS);
        Instant laterRunAt = now.plusSeconds(19).truncatedTo(ChronoUnit.MILLIS);
        JsonNode missed = api.createJob(onceJob("missed while stopped", target.url(missedPath), missedRunAt));
        JsonNode later = api.createJob(onceJob("due after the restart", target.url(laterPath), laterRunAt));
        assertEquals("scheduled", missed.path("status").textValue(), "" + missed);
        return new RestartScenario(missedPath, missed, missedRunAt, laterPath, later, laterRunAt);
    }

    /**
     * SIGTERM at once, long before the missed job is due (and before the server claims it, 2 s ahead); a graceful
     * stop with nothing in flight ends well within the shutdown grace (CRONHOOK_SHUTDOWN_GRACE, 10 s).
     */
    void stopRightAway(ServerProcess server) {
        Instant sent = Instant.now();
        assertTrue(sent.isBefore(missedRunAt.minusMillis(2500)), "the test was too slow to stop the server before "
                + "the job was claimed (SIGTERM at " + sent + ", due " + missedRunAt + ")");
        server.stop();
        Duration took = Duration.between(sent, Instant.now());
        assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "a graceful stop with nothing in flight took "
                + took.toMillis() + " ms" + server.diagnosis());
    }

    void whileStopped(Target target) {
        Poll.sleepUntil(missedRunAt.plus(DOWN_PAST_DUE));
        assertEquals(List.of(), target.requests(missedPath), "nothing arrives while the server is stopped");
    }

    void afterRestart(Api api, Target target) {
        Instant restartedAt = Instant.now();
        String missedId = missed.path("id").textValue();
        String listed = api.get("/v1/jobs?limit=500").expect(200).toString();
        assertTrue(listed.contains(missedId) && listed.contains(later.path("id").textValue()),
                "both jobs survived the restart: " + listed);

        LoggedRequest request = target.awaitRequests(missedPath, 1, Duration.ofSeconds(10)).get(0);
        assertTrue(Duration.between(restartedAt, Target.arrival(request)).toMillis() <= 3000,
                "a due one-time job fires at once after the restart (ready at " + restartedAt + ", arrived "
                        + Target.arrival(request) + ")");
        JobRequestAssertions.Received run = assertSignedJobRequest(request, missed, "POST",
                Api.object().put("restart", true), Map.of());
        assertEquals(missedRunAt, run.scheduledFor(), "X-Cronhook-Scheduled-For is the run_at");
        JsonNode execution = Poll.until("the catch-up execution to succeed", Duration.ofSeconds(10),
                () -> api.execution(run.executionId()), e -> e.path("status").asText().equals("succeeded"));
        assertSucceeded(execution, missedId, "catch_up");
        Poll.until("the job's status to become succeeded", Duration.ofSeconds(10), () -> api.job(missedId),
                job -> job.path("status").asText().equals("succeeded"));

        assertTrue(Instant.now().isBefore(laterRunAt), "the later job is still ahead: the test is too slow");
        LoggedRequest onTime = target.awaitRequests(laterPath, 1,
                Duration.between(Instant.now(), laterRunAt).plusSeconds(5)).get(0);
        JobRequestAssertions.Received laterRun = assertSignedJobRequest(onTime, later, "POST",
                Api.object().put("restart", true), Map.of());
        assertEquals(laterRunAt, laterRun.scheduledFor(), "X-Cronhook-Scheduled-For of the later job");
        assertTrue(Duration.between(laterRunAt, laterRun.arrival()).toMillis() < 1000,
                "fires on time after a restart: due " + laterRunAt + ", arrived " + laterRun.arrival());
        JsonNode laterExecution = Poll.until("the later execution to succeed", Duration.ofSeconds(10),
                () -> api.execution(laterRun.executionId()), e -> e.path("status").asText().equals("succeeded"));
        assertSucceeded(laterExecution, later.path("id").textValue(), "schedule");

        ServerProcess.sleep(1500);
        assertEquals(1, target.requests(missedPath).size(), "the missed job arrives exactly once: "
                + target.requests(missedPath));
        assertEquals(1, target.requests(laterPath).size(), "the later job arrives exactly once");
        assertFalse(api.executionsOf(missedId).size() > 1, "one execution of the missed job: "
                + api.executionsOf(missedId));
    }

    private static ObjectNode onceJob(String name, String url, Instant runAt) {
        ObjectNode job = Api.object().put("name", name).put("url", url).put("run_at", runAt.toString());
        job.putObject("body").put("restart", true);
        return job;
    }
}
