package dev.cronhook.api.e2e;

import static dev.cronhook.api.e2e.JobRequestAssertions.assertSignedJobRequest;
import static dev.cronhook.api.e2e.JobRequestAssertions.assertSucceeded;
import static dev.cronhook.api.e2e.JobRequestAssertions.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.http.HttpRequest;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Jobs fire as configured: the packaged server on the embedded H2 database, one server and one WireMock target for
 * the whole class; every test uses its own target path, so they do not see each other's requests.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JobsFireIT extends AgainstPackagedServer {
    @Override
    String serverName() {
        return "jobs-fire";
    }

    private static final String NEVER_IN_A_TEST = "0 0 1 1 *";

    // ---- scenario 1

    @Test
    void everySecondCronJobArrivesSignedWithItsMethodBodyAndHeaders() {
        String path = "/fire/every-second";
        ObjectNode body = Api.object().put("report", "daily").put("count", 3).put("text", "grüße ✓ \"quoted\"");
        body.putArray("tags").add("a").add("b");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Team", "payments");
        headers.put("Authorization", "Bearer target-token");
        ObjectNode job = cronJob("every second", path, "* * * * * *").put("method", "PUT");
        job.set("body", body);
        headers.forEach(job.putObject("headers")::put);

        JsonNode created = api.createJob(job);
        String jobId = created.get("id").textValue();
        assertTrue(created.path("signing_secret").asText().startsWith("whsec_"), "create reply: " + created);
        assertEquals("cron", created.path("type").textValue(), "create reply: " + created);
        try {
            List<LoggedRequest> arrived = target.awaitRequests(path, 2, Duration.ofSeconds(10));
            JobRequestAssertions.Received first = assertSignedJobRequest(arrived.get(0), created, "PUT", body, headers);
            JobRequestAssertions.Received second = assertSignedJobRequest(arrived.get(1), created, "PUT", body, headers);
            assertNotEquals(first.executionId(), second.executionId(), "each run is its own execution");
            assertTrue(second.scheduledFor().isAfter(first.scheduledFor()), "two runs of an every-second job: "
                    + first + " then " + second);
            assertEquals(0, first.scheduledFor().getNano(), "an every-second cron runs on whole seconds: " + first);

            List<JobRequestAssertions.Received> runs = List.of(first, second);
            List<JsonNode> executions = Poll.until("both runs recorded as succeeded", Duration.ofSeconds(10),
                    () -> api.executionsOf(jobId),
                    list -> runs.stream().allMatch(run -> list.stream().anyMatch(e ->
                            e.path("id").asText().equals(run.executionId())
                                    && e.path("status").asText().equals("succeeded"))));
            for (JobRequestAssertions.Received run : runs) {
                JsonNode execution = executions.stream().filter(e -> e.path("id").asText().equals(run.executionId()))
                        .findFirst().orElseThrow();
                assertSucceeded(execution, jobId, "schedule");
                assertEquals(run.scheduledFor(), Instant.parse(execution.path("scheduled_for").asText()), "" + execution);
            }
        } finally {
            api.delete("/v1/jobs/" + jobId);
        }
    }

    // ---- scenario 2

    @Test
    void oneTimeJobArrivesExactlyOnceAndEndsSucceeded() {
        String path = "/fire/once";
        Instant runAt = Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.MILLIS);
        ObjectNode body = Api.object().put("once", true);
        ObjectNode job = Api.object().put("name", "one time").put("url", target.url(path)).put("run_at", runAt.toString());
        job.set("body", body);

        JsonNode created = api.createJob(job);
        String jobId = created.get("id").textValue();
        assertEquals("once", created.path("type").textValue(), "" + created);
        assertEquals("scheduled", created.path("status").textValue(), "" + created);
        assertEquals(runAt, Instant.parse(created.path("run_at").asText()), "" + created);
        assertEquals(runAt, Instant.parse(created.path("next_run_at").asText()), "" + created);
        // Read now, checked last, so that the rest of the scenario is checked whatever this shows.
        JsonNode beforeItsTime = api.job(jobId);
        Instant readAt = Instant.now();

        LoggedRequest request = target.awaitRequests(path, 1, Duration.ofSeconds(10)).get(0);
        JobRequestAssertions.Received run = assertSignedJobRequest(request, created, "POST", body, Map.of());
        assertEquals(runAt, run.scheduledFor(), "X-Cronhook-Scheduled-For is the run_at");

        Poll.sleepUntil(run.arrival().plusSeconds(3));
        assertEquals(1, target.requests(path).size(), "a one-time job arrives exactly once: " + target.requests(path));
        Poll.until("the job's status to become succeeded", Duration.ofSeconds(10), () -> api.job(jobId),
                j -> j.path("status").asText().equals("succeeded"));
        JsonNode execution = Poll.until("the execution to be recorded", Duration.ofSeconds(10),
                () -> api.execution(run.executionId()), e -> e.path("status").asText().equals("succeeded"));
        assertSucceeded(execution, jobId, "schedule");
        assertEquals(runAt, Instant.parse(execution.path("scheduled_for").asText()), "" + execution);

        assertTrue(readAt.isBefore(runAt), "the job was read before its time");
        assertEquals("scheduled", beforeItsTime.path("status").textValue(),
                "GET /v1/jobs/{id} " + Duration.between(readAt, runAt).toMillis() + " ms before run_at, when nothing"
                        + " had been sent yet: " + beforeItsTime);
        assertEquals(runAt.toString(), beforeItsTime.path("next_run_at").asText(), "next_run_at before its time: "
                + beforeItsTime);
    }

    // ---- scenario 3

    @Test
    void pausedJobsDoNotArriveAndResumeMakesThemArriveAgain() {
        String createdDisabledPath = "/fire/created-disabled";
        String pausedPath = "/fire/paused";
        JsonNode disabled = api.createJob(cronJob("created disabled", createdDisabledPath, "* * * * * *")
                .put("enabled", false));
        String disabledId = disabled.get("id").textValue();
        assertFalse(disabled.path("enabled").asBoolean(true), "" + disabled);
        assertTrue(disabled.path("next_run_at").isNull(), "a disabled job has no next run: " + disabled);

        // Start just after a second boundary, so that the first run is almost a second away when the pause lands.
        Poll.sleepUntil(Instant.now().truncatedTo(ChronoUnit.SECONDS).plusMillis(1030));
        JsonNode enabled = api.createJob(cronJob("paused right away", pausedPath, "* * * * * *"));
        String pausedId = enabled.get("id").textValue();
        JsonNode paused = api.post("/v1/jobs/" + pausedId + "/pause").expect(200);
        Instant pausedAt = Instant.now();
        try {
            assertFalse(paused.path("enabled").asBoolean(true), "pause reply: " + paused);
            assertTrue(paused.path("next_run_at").isNull(), "a paused job has no next run: " + paused);

            Poll.sleepUntil(pausedAt.plusMillis(3200));
            assertEquals(List.of(), describe(target.requests(createdDisabledPath)), "a job created disabled must not fire");
            assertEquals(List.of(), api.executionsOf(disabledId), "a job created disabled has no executions");
            // Created and paused within the same second, before its first run: normally nothing at all arrives. On a
            // very slow machine a run due before the pause took effect may; no run due after the pause may.
            List<LoggedRequest> afterPause = target.requests(pausedPath).stream()
                    .filter(r -> !Instant.parse(header(r, "X-Cronhook-Scheduled-For")).isBefore(pausedAt)).toList();
            assertEquals(List.of(), describe(afterPause), "a paused job must not fire (paused at " + pausedAt + ")");
            List<JsonNode> phantom = api.executionsOf(pausedId).stream()
                    .filter(e -> !Instant.parse(e.path("scheduled_for").asText()).isBefore(pausedAt)).toList();
            assertEquals(List.of(), phantom, "a paused job has no executions for runs after the pause");
            assertFalse(api.job(pausedId).path("enabled").asBoolean(true));

            Instant resumedAt = Instant.now();
            for (String id : List.of(disabledId, pausedId)) {
                JsonNode resumed = api.post("/v1/jobs/" + id + "/resume").expect(200);
                assertTrue(resumed.path("enabled").asBoolean(false), "resume reply: " + resumed);
                assertFalse(resumed.path("next_run_at").isNull(), "a resumed job has a next run: " + resumed);
            }
            for (String path : List.of(createdDisabledPath, pausedPath)) {
                LoggedRequest first = Poll.until("a request on " + path + " after resume", Duration.ofSeconds(5),
                        () -> target.requests(path).stream().filter(r -> Target.arrival(r).isAfter(resumedAt)).toList(),
                        list -> !list.isEmpty()).get(0);
                assertTrue(Duration.between(resumedAt, Target.arrival(first)).toMillis() <= 2500,
                        path + ": resumed at " + resumedAt + ", first arrival only at " + Target.arrival(first));
                // Resume does not replay the runs missed while paused.
                for (LoggedRequest request : target.requests(path).stream()
                        .filter(r -> Target.arrival(r).isAfter(resumedAt)).toList()) {
                    Instant scheduledFor = Instant.parse(header(request, "X-Cronhook-Scheduled-For"));
                    assertFalse(scheduledFor.isBefore(resumedAt.truncatedTo(ChronoUnit.SECONDS)),
                            path + ": a run scheduled while paused was sent after resume: " + scheduledFor);
                }
            }
        } finally {
            api.delete("/v1/jobs/" + disabledId);
            api.delete("/v1/jobs/" + pausedId);
        }
    }

    // ---- scenario 4

    @Test
    void triggerRunsTheJobAtOnceWithTheExecutionIdOfTheReply() {
        String path = "/fire/trigger";
        ObjectNode body = Api.object().put("manual", "yes");
        ObjectNode job = cronJob("triggered by hand", path, NEVER_IN_A_TEST);
        job.set("body", body);
        JsonNode created = api.createJob(job);
        String jobId = created.get("id").textValue();

        Instant triggeredAt = Instant.now();
        Api.Reply reply = api.post("/v1/jobs/" + jobId + "/trigger");
        JsonNode accepted = reply.expect(202);
        String executionId = accepted.path("execution_id").asText();
        assertTrue(JobRequestAssertions.EXECUTION_ID.matcher(executionId).matches(), "trigger reply: " + accepted);

        LoggedRequest request = target.awaitRequests(path, 1, Duration.ofSeconds(5)).get(0);
        assertTrue(Duration.between(triggeredAt, Target.arrival(request)).toMillis() <= 2000,
                "triggered at " + triggeredAt + ", arrived only at " + Target.arrival(request));
        JobRequestAssertions.Received run = assertSignedJobRequest(request, created, "POST", body, Map.of());
        assertEquals(executionId, run.executionId(), "X-Cronhook-Execution-Id is the id of the trigger reply");

        JsonNode execution = Poll.until("the manual execution to succeed", Duration.ofSeconds(10),
                () -> api.execution(executionId), e -> e.path("status").asText().equals("succeeded"));
        assertSucceeded(execution, jobId, "manual");
        ServerProcess.sleep(500);
        assertEquals(1, target.requests(path).size(), "one trigger, one request");
        api.delete("/v1/jobs/" + jobId).expect(204);
    }

    // ---- scenario 8

    @Test
    void nextRunsOfADayOfMonthOrDayOfWeekCronInterleaveBoth() {
        JsonNode created = api.createJob(cronJob("first of month or monday", "/fire/next-runs", "0 0 1 * 1")
                .put("timezone", "UTC"));
        String jobId = created.get("id").textValue();

        List<String> hundred = texts(api.get("/v1/jobs/" + jobId + "/next-runs?count=100").expect(200).path("data"));
        Instant now = Instant.now();
        List<String> defaults = texts(api.get("/v1/jobs/" + jobId + "/next-runs").expect(200).path("data"));

        List<String> expected = firstOfMonthOrMonday(now, 100);
        assertEquals(expected, hundred, "crontab's OR rule: the 1st of each month and every Monday, at 00:00 UTC");
        assertEquals(expected.subList(0, 10), defaults, "count defaults to 10");
        List<ZonedDateTime> runs = hundred.stream().map(t -> ZonedDateTime.parse(t).withZoneSameInstant(ZoneOffset.UTC)).toList();
        assertTrue(runs.stream().anyMatch(t -> t.getDayOfMonth() == 1 && t.getDayOfWeek() != DayOfWeek.MONDAY),
                "some runs are 1sts that are not Mondays: " + hundred);
        assertTrue(runs.stream().anyMatch(t -> t.getDayOfMonth() != 1 && t.getDayOfWeek() == DayOfWeek.MONDAY),
                "some runs are Mondays that are not 1sts: " + hundred);
        assertEquals(created.path("next_run_at").asText(), hundred.get(0), "next_run_at is the first of the next runs");
        api.delete("/v1/jobs/" + jobId).expect(204);
    }

    // ---- scenario 9

    @Test
    void patchedScheduleTakesEffectAtOnceAndDeleteStopsTheJob() {
        String path = "/fire/patched";
        JsonNode created = api.createJob(cronJob("yearly at first", path, NEVER_IN_A_TEST));
        String jobId = created.get("id").textValue();
        ServerProcess.sleep(1200);
        assertEquals(List.of(), describe(target.requests(path)), "a yearly job does not fire now");

        Instant patchedAt = Instant.now();
        JsonNode patched = api.patch("/v1/jobs/" + jobId, Api.object().put("cron", "* * * * * *")).expect(200);
        assertEquals("* * * * * *", patched.path("cron").textValue(), "PATCH reply: " + patched);
        Instant nextRun = Instant.parse(patched.path("next_run_at").asText());
        assertTrue(!nextRun.isBefore(patchedAt.truncatedTo(ChronoUnit.SECONDS)) && nextRun.isBefore(patchedAt.plusSeconds(2)),
                "next_run_at after the change should be within a second: " + patched);
        LoggedRequest first = target.awaitRequests(path, 1, Duration.ofSeconds(5)).get(0);
        assertTrue(Duration.between(patchedAt, Target.arrival(first)).toMillis() <= 2500,
                "the new schedule takes effect at once: patched at " + patchedAt + ", first arrival " + Target.arrival(first));

        Instant renamedAt = Instant.now();
        JsonNode renamed = api.patch("/v1/jobs/" + jobId, Api.object().put("name", "renamed")).expect(200);
        assertEquals("renamed", renamed.path("name").textValue(), "" + renamed);
        assertEquals("* * * * * *", renamed.path("cron").textValue(), "renaming keeps the schedule: " + renamed);
        assertFalse(renamed.path("next_run_at").isNull(), "renaming keeps the next run: " + renamed);
        JsonNode stored = api.job(jobId);
        assertEquals("renamed", stored.path("name").textValue(), "" + stored);
        assertEquals("* * * * * *", stored.path("cron").textValue(), "" + stored);
        assertEquals(target.url(path), stored.path("url").textValue(), "" + stored);
        Poll.until("a run scheduled after the rename", Duration.ofSeconds(4), () -> target.requests(path),
                list -> list.stream().anyMatch(r -> Instant.parse(header(r, "X-Cronhook-Scheduled-For")).isAfter(renamedAt)));

        Api.Reply deleted = api.delete("/v1/jobs/" + jobId);
        Instant deletedAt = Instant.now();
        assertEquals(204, deleted.status(), "" + deleted);
        assertEquals("", deleted.body(), "204 has no body");
        Api.Reply gone = api.get("/v1/jobs/" + jobId);
        assertEquals(404, gone.status(), "" + gone);
        assertTrue(gone.contentType().startsWith("application/problem+json"), "" + gone.headers().map());
        assertEquals(404, api.get("/v1/jobs/" + jobId + "/executions").status(), "executions of a deleted job");

        ServerProcess.sleep(500);
        int afterDelete = target.requests(path).size();
        Poll.sleepUntil(deletedAt.plusMillis(3000));
        List<LoggedRequest> all = target.requests(path);
        assertEquals(afterDelete, all.size(), "no request after DELETE: " + describe(all));
        for (LoggedRequest request : all) {
            Instant scheduledFor = Instant.parse(header(request, "X-Cronhook-Scheduled-For"));
            assertTrue(scheduledFor.isBefore(deletedAt.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1)),
                    "a run scheduled after the delete at " + deletedAt + " was sent: " + scheduledFor);
        }
    }

    // ---- scenario 10

    @Test
    void healthAndMetricsNeedNoKeyAndMetricsAreValidPrometheusTextThatMovesWithTheRuns() {
        Api anonymous = api.withKey(null);
        Api.Reply health = anonymous.get("/observe/health");
        assertEquals(200, health.status(), "" + health);
        assertEquals("UP", health.json().path("status").textValue(), "" + health);

        PrometheusText before = scrape();
        String path = "/fire/metrics";
        JsonNode created = api.createJob(cronJob("for metrics", path, NEVER_IN_A_TEST));
        String jobId = created.get("id").textValue();
        String executionId = api.post("/v1/jobs/" + jobId + "/trigger").expect(202).path("execution_id").asText();
        Poll.until("the triggered run to succeed", Duration.ofSeconds(10), () -> api.execution(executionId),
                e -> e.path("status").asText().equals("succeeded"));
        api.get("/v1/jobs/" + jobId).expect(200);
        PrometheusText after = scrape();

        // Counters move with the run; the histograms counted it.
        assertEquals(1, after.require("cronhook_attempts_total", "outcome", "success")
                - before.require("cronhook_attempts_total", "outcome", "success"));
        assertEquals(1, after.require("cronhook_executions_total", "status", "succeeded")
                - before.require("cronhook_executions_total", "status", "succeeded"));
        assertTrue(after.require("cronhook_fire_lag_seconds_bucket", "le", "+Inf")
                > before.require("cronhook_fire_lag_seconds_bucket", "le", "+Inf"));
        assertEquals("histogram", after.types().get("cronhook_fire_lag_seconds"));
        // The JVM, the process, both connection pools, and the gauges of the node.
        for (String name : List.of("jvm_memory_used_bytes", "jvm_threads_live_threads", "jvm_gc_memory_allocated_bytes_total",
                "process_cpu_usage", "process_uptime_seconds", "process_start_time_seconds",
                "cronhook_deliveries_pending", "cronhook_http_requests_sending", "cronhook_incidents_open")) {
            assertFalse(after.named(name).isEmpty(), "no " + name);
        }
        assertTrue(after.require("hikaricp_connections_max", "pool", "cronhook") >= 2);
        assertEquals(1, after.require("hikaricp_connections_max", "pool", "cronhook-heartbeat"));
        // HTTP requests by route template, never by raw path (paths hold ids and tokens).
        assertEquals(1, after.require("http_server_requests_seconds_count", "method", "GET", "uri", "/v1/jobs/{id}",
                "status", "200") - before.value("http_server_requests_seconds_count", "method", "GET", "uri",
                "/v1/jobs/{id}", "status", "200").orElse(0.0));
        assertTrue(after.require("http_server_requests_seconds_count", "method", "POST", "uri",
                "/v1/jobs/{id}/trigger", "status", "202") >= 1);
        for (PrometheusText.Sample sample : after.named("http_server_requests_seconds_count")) {
            String uri = sample.labels().get("uri");
            assertTrue(uri.equals("NOT_FOUND") || !uri.matches(".*(job_|exe_|[0-9a-f]{8}-).*"), "a raw path: " + uri);
        }
        api.delete("/v1/jobs/" + jobId).expect(204);
    }

    @Test
    void listsCarryEachJobsLastExecutionAndQFindsJobsByAnyPartOfTheirName() {
        String name = "Nightly Report 50%_off " + System.nanoTime();
        String jobId = api.createJob(cronJob(name, "/fire/last", NEVER_IN_A_TEST)).get("id").textValue();
        try {
            String q = java.net.URLEncoder.encode("REPORT 50%_OFF " + name.substring(name.lastIndexOf(' ') + 1),
                    java.nio.charset.StandardCharsets.UTF_8);
            JsonNode found = api.get("/v1/jobs?q=" + q).expect(200).path("data");
            assertEquals(1, found.size(), found.toString());
            assertEquals(jobId, found.get(0).path("id").asText());
            assertTrue(found.get(0).path("last_execution").isNull(), "never ran: " + found.get(0));
            // LIKE's own characters are plain characters to the search.
            assertEquals(0, api.get("/v1/jobs?q=" + java.net.URLEncoder.encode("report 5_%", 
                    java.nio.charset.StandardCharsets.UTF_8)).expect(200).path("data").size());
            assertTrue(api.get("/v1/jobs?q=&limit=500").expect(200).path("data").size() >= 1, "an empty q lists all");
            assertEquals("q", api.get("/v1/jobs?q=" + "x".repeat(201)).expect(422).path("errors").get(0)
                    .path("field").asText());

            String executionId = api.post("/v1/jobs/" + jobId + "/trigger").expect(202).path("execution_id").asText();
            Poll.until("the triggered run to succeed", Duration.ofSeconds(10), () -> api.execution(executionId),
                    e -> e.path("status").asText().equals("succeeded"));
            JsonNode last = api.get("/v1/jobs?q=" + q).expect(200).path("data").get(0).path("last_execution");
            assertEquals(executionId, last.path("id").asText(), last.toString());
            assertEquals("succeeded", last.path("status").asText());
            Instant finished = Instant.parse(last.path("finished_at").asText());
            assertEquals(Instant.parse(api.execution(executionId).path("attempts").get(0).path("finished_at").asText()),
                    finished);
            assertEquals(last, api.job(jobId).path("last_execution"), "a job's own page shows the same");
        } finally {
            api.delete("/v1/jobs/" + jobId).expect(204);
        }
    }

    @Test
    void aCronPreviewAnswersTheRunsAJobWithThatScheduleHas() {
        JsonNode preview = api.post("/v1/cron/preview", Api.object().put("cron", "30 9 * * 1-5")
                .put("timezone", "Europe/Berlin").put("count", 4)).expect(200);
        assertEquals(4, preview.path("next_runs").size(), preview.toString());
        String jobId = api.createJob(cronJob("previewed", "/fire/preview", "30 9 * * 1-5")
                .put("timezone", "Europe/Berlin")).get("id").textValue();
        try {
            assertEquals(preview.path("next_runs"), api.get("/v1/jobs/" + jobId + "/next-runs?count=4").expect(200)
                    .path("data"), "the preview and the job agree");
        } finally {
            api.delete("/v1/jobs/" + jobId).expect(204);
        }
        assertEquals(5, api.post("/v1/cron/preview", Api.object().put("cron", "@hourly")).expect(200)
                .path("next_runs").size(), "five by default, in UTC");
        for (Map.Entry<String, ObjectNode> bad : Map.of(
                "cron", Api.object().put("cron", "61 * * * *"),
                "timezone", Api.object().put("cron", "* * * * *").put("timezone", "Mars/Olympus"),
                "count", Api.object().put("cron", "* * * * *").put("count", 101)).entrySet()) {
            assertEquals(bad.getKey(), api.post("/v1/cron/preview", bad.getValue()).expect(422).path("errors").get(0)
                    .path("field").asText(), bad.getValue().toString());
        }
        assertEquals("cron", api.post("/v1/cron/preview", Api.object()).expect(422).path("errors").get(0)
                .path("field").asText());
        assertEquals("count", api.post("/v1/cron/preview", Api.object().put("cron", "* * * * *")
                .put("count", "ten")).expect(422).path("errors").get(0).path("field").asText());
    }

    private PrometheusText scrape() {
        HttpRequest metricsRequest = HttpRequest.newBuilder(api.uri("/observe/metrics")).GET().build();
        Api.Reply metrics = Api.send(metricsRequest, "GET", "/observe/metrics");
        assertEquals(200, metrics.status(), "" + metrics);
        assertEquals("text/plain; version=0.0.4; charset=utf-8", metrics.contentType());
        return PrometheusText.parse(metrics.body());
    }

    // ---- helpers

    private ObjectNode cronJob(String name, String path, String cron) {
        return Api.object().put("name", name).put("url", target.url(path)).put("cron", cron);
    }

    /** The next {@code count} midnights (UTC) after {@code now} that are the 1st of a month or a Monday. */
    private static List<String> firstOfMonthOrMonday(Instant now, int count) {
        List<String> runs = new ArrayList<>();
        LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
        while (runs.size() < count) {
            Instant midnight = day.atStartOfDay(ZoneOffset.UTC).toInstant();
            if (midnight.isAfter(now) && (day.getDayOfMonth() == 1 || day.getDayOfWeek() == DayOfWeek.MONDAY)) {
                runs.add(midnight.toString());
            }
            day = day.plusDays(1);
        }
        return runs;
    }

    private static List<String> texts(JsonNode array) {
        List<String> list = new ArrayList<>();
        array.forEach(node -> list.add(node.asText()));
        return list;
    }

    private static List<String> describe(List<LoggedRequest> requests) {
        return requests.stream().map(r -> r.getMethod() + " " + r.getUrl() + " at " + Target.arrival(r)
                + " scheduled for " + r.getHeader("X-Cronhook-Scheduled-For")).toList();
    }
}
