package dev.cronhook.scheduler.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.cronhook.common.DomainException;
import dev.cronhook.common.db.DbClients;
import dev.cronhook.delivery.cluster.NodeHeartbeat;
import dev.cronhook.delivery.http.HttpSender;
import dev.cronhook.delivery.outbox.Delivery;
import dev.cronhook.delivery.outbox.DeliveryModule;
import dev.cronhook.delivery.outbox.DeliverySettings;
import dev.cronhook.delivery.outbox.DeliveryStatus;
import dev.cronhook.delivery.signing.SignatureVerifier;
import dev.cronhook.delivery.signing.VerificationResult;
import dev.cronhook.delivery.signing.WebhookSecret;
import dev.cronhook.delivery.testing.Drafts;
import dev.cronhook.delivery.testing.TestDatabase;
import dev.cronhook.delivery.testing.TestDatabaseKind;
import dev.cronhook.scheduler.SchedulerModule;
import dev.cronhook.scheduler.jobs.Job;
import dev.cronhook.scheduler.jobs.JobDraft;
import dev.cronhook.scheduler.jobs.JobService;
import dev.cronhook.scheduler.jobs.UrlGuard;
import dev.cronhook.scheduler.runs.Execution;
import dev.cronhook.scheduler.runs.ExecutionService;
import dev.cronhook.scheduler.runs.ExecutionStatus;
import dev.cronhook.scheduler.runs.RetryPolicy;
import dev.cronhook.scheduler.runs.SchedulerSettings;
import io.helidon.dbclient.DbClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Notification webhooks end to end inside one node: job attempts produce events, the outbox delivers them signed to
 * a WireMock subscriber, with retries, 410 handling, ping, rotation and redelivery. One subclass per database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class NotificationsContract {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration JOB_RETRY = Duration.ofMillis(600);
    private static final Duration DELIVERY_RETRY = Duration.ofMillis(500);

    private TestDatabase database;
    private DbClient db;
    private WireMockServer target;
    private WireMockServer subscriber;
    private HttpSender sender;
    private DeliveryModule deliveries;
    private NodeHeartbeat heartbeat;
    private SchedulerModule module;
    private JobService jobs;
    private ExecutionService executionService;
    private WebhookService webhooks;

    abstract TestDatabaseKind kind();

    @BeforeAll
    void start() {
        database = TestDatabase.create(kind());
        db = DbClients.over(database.dataSource());
        target = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        target.start();
        target.stubFor(any(urlPathMatching("/ok/.*")).willReturn(aResponse().withStatus(200)));
        target.stubFor(any(urlPathMatching("/fail/.*")).willReturn(aResponse().withStatus(503)));
        subscriber = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        subscriber.start();
        subscriber.stubFor(post(urlPathMatching("/hooks/.*")).willReturn(aResponse().withStatus(204)));
        sender = new HttpSender(Clock.systemUTC(), "Cronhook/test");
        boolean postgres = database.kind() == TestDatabaseKind.POSTGRES;
        heartbeat = new NodeHeartbeat(db, Clock.systemUTC(), "test", NodeHeartbeat.Settings.defaults(postgres));
        deliveries = DeliveryModule.create(database.dataSource(), db, sender, Clock.systemUTC(),
                DeliverySettings.defaults().withRetryDelays(Collections.nCopies(6, DELIVERY_RETRY)), heartbeat);
        heartbeat.start();
        module = SchedulerModule.start(database.dataSource(), db, sender, JSON, Clock.systemUTC(),
                SchedulerSettings.defaults(postgres)
                        .withSchedulerName(getClass().getSimpleName() + "-" + UUID.randomUUID())
                        .withRetries(new RetryPolicy(Collections.nCopies(5, JOB_RETRY))),
                deliveries, UrlGuard.ALLOW_ALL, heartbeat, new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        deliveries.start();
        jobs = module.jobs();
        executionService = module.executions();
        webhooks = module.webhooks();
    }

    @AfterEach
    void cleanUp() {
        for (Webhook webhook : webhooks.list(null, 500).data()) {
            webhooks.delete(webhook.id());
        }
        for (Job job : jobs.list(null, null, null, null, 500).data()) {
            jobs.delete(job.id());
        }
        subscriber.resetRequests();
        target.resetRequests();
    }

    @AfterAll
    void stop() {
        try (var closeDatabase = database) {
            module.close();
            deliveries.close();
            heartbeat.close();
            sender.close();
            target.stop();
            subscriber.stop();
            db.close();
        }
    }

    @Test
    void aRetriedOneTimeJobEmitsEveryEventSignedInOrder() {
        String hookPath = "/hooks/all-" + UUID.randomUUID();
        Webhook webhook = webhooks.create(Drafts.of(WebhookDraft.class, "{'nickname': 'all', 'url': '" + subscriber.baseUrl() + hookPath
                + "', 'topics': ['*'], 'authorization': 'Bearer s3cret'}"));
        String path = "/retry/" + UUID.randomUUID();
        target.stubFor(any(urlPathEqualTo(path)).inScenario(path).whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
        target.stubFor(any(urlPathEqualTo(path)).inScenario(path).whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(200)));
        Instant runAt = Instant.now().plusMillis(1200).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        Job job = jobs.create(Drafts.of(JobDraft.class, "{'name': 'twice', 'url': '" + target.baseUrl() + path + "', 'run_at': '"
                + runAt + "'}"));

        await("four events", Duration.ofSeconds(10), () -> received(hookPath).size() >= 4);
        // Deliveries run in parallel, so events of one attempt may arrive in either order: sorted by what they say.
        List<LoggedRequest> events = received(hookPath).stream()
                .sorted(Comparator.comparingInt(NotificationsContract::attemptThenStartedFirst)).toList();
        assertEquals(4, events.size(), "started, failed, started, succeeded");
        List<JsonNode> bodies = events.stream().map(NotificationsContract::body).toList();
        assertEquals(List.of(JobEvent.STARTED, JobEvent.FAILED, JobEvent.STARTED, JobEvent.SUCCEEDED),
                bodies.stream().map(b -> b.get("type").asText()).toList());

        String executionId = executionService.ofJob(job.id(), null, null, 10).data().getFirst().id();
        JsonNode failed = bodies.get(1);
        assertTrue(failed.get("id").asText().startsWith("evt_"));
        JsonNode jobNode = failed.get("data").get("job");
        assertEquals(job.id(), jobNode.get("id").asText());
        assertEquals("twice", jobNode.get("name").asText());
        assertEquals("once", jobNode.get("type").asText());
        assertEquals(target.baseUrl() + path, jobNode.get("url").asText());
        assertTrue(jobNode.get("cron").isNull());
        assertTrue(jobNode.get("timezone").isNull());
        assertEquals(runAt, Instant.parse(jobNode.get("run_at").asText()));
        JsonNode execution = failed.get("data").get("execution");
        assertEquals(executionId, execution.get("id").asText());
        assertEquals("schedule", execution.get("trigger").asText());
        assertEquals(runAt, Instant.parse(execution.get("scheduled_for").asText()));
        assertEquals(1, execution.get("attempt").asInt());
        assertEquals(6, execution.get("max_attempts").asInt());
        assertEquals("retry_scheduled", execution.get("status").asText());
        assertEquals("http_error", execution.get("outcome").asText());
        assertEquals(503, execution.get("status_code").asInt());
        assertTrue(execution.get("duration_ms").isIntegralNumber());
        assertFalse(execution.get("final").asBoolean());
        Instant nextAttempt = Instant.parse(execution.get("next_attempt_at").asText());
        assertTrue(nextAttempt.isAfter(runAt), "next attempt after the first: " + nextAttempt);

        JsonNode succeeded = bodies.get(3).get("data").get("execution");
        assertEquals(2, succeeded.get("attempt").asInt());
        assertEquals("succeeded", succeeded.get("status").asText());
        assertEquals(200, succeeded.get("status_code").asInt());
        assertTrue(succeeded.get("final").asBoolean());
        assertTrue(succeeded.get("next_attempt_at").isNull());
        assertEquals("running", bodies.get(2).get("data").get("execution").get("status").asText());

        for (int i = 0; i < events.size(); i++) {
            LoggedRequest request = events.get(i);
            assertEquals(bodies.get(i).get("type").asText(), request.getHeader("X-Cronhook-Event"));
            assertEquals(bodies.get(i).get("id").asText(), request.getHeader("webhook-id"));
            assertEquals("Bearer s3cret", request.getHeader("Authorization"));
            assertEquals("application/json", request.getHeader("Content-Type"));
            assertInstanceOf(VerificationResult.Verified.class, verify(request, List.of(webhook.secrets().current())),
                    "signed with the webhook's secret");
        }
        assertEquals(4, events.stream().map(r -> r.getHeader("webhook-id")).distinct().count(), "one id per event");
    }

    private static int attemptThenStartedFirst(LoggedRequest request) {
        JsonNode event = body(request);
        return 2 * event.get("data").get("execution").get("attempt").asInt()
                + (event.get("type").asText().equals(JobEvent.STARTED) ? 0 : 1);
    }

    @Test
    void topicsAndJobIdsNarrowWhatASubscriptionHears() {
        Job watched = jobs.create(Drafts.of(JobDraft.class, "{'name': 'watched', 'url': '" + target.baseUrl() + "/fail/w', "
                + "'cron': '0 0 1 1 *'}"));
        Job other = jobs.create(Drafts.of(JobDraft.class, "{'name': 'other', 'url': '" + target.baseUrl() + "/fail/o', "
                + "'cron': '0 0 1 1 *'}"));
        String hookPath = "/hooks/failed-" + UUID.randomUUID();
        webhooks.create(Drafts.of(WebhookDraft.class, "{'nickname': 'failures of one job', 'url': '" + subscriber.baseUrl() + hookPath
                + "', 'topics': ['job.execution.failed'], 'job_ids': ['" + watched.id() + "']}"));

        executionService.trigger(other.id());
        executionService.trigger(watched.id());
        await("the failure of the watched job", Duration.ofSeconds(5), () -> received(hookPath).size() >= 1);
        sleep(800); // anything else would have arrived by now
        List<LoggedRequest> events = received(hookPath);
        assertEquals(1, events.size(), "only the failure, only of the watched job");
        JsonNode body = body(events.getFirst());
        assertEquals(JobEvent.FAILED, body.get("type").asText());
        assertEquals(watched.id(), body.get("data").get("job").get("id").asText());
        assertEquals("manual", body.get("data").get("execution").get("trigger").asText());
        assertTrue(body.get("data").get("execution").get("final").asBoolean(), "cron jobs never retry");
        assertEquals(1, body.get("data").get("execution").get("max_attempts").asInt());

        DomainException.Invalid unknownJob = assertThrows(DomainException.Invalid.class, () -> webhooks.create(Drafts.of(WebhookDraft.class, 
                "{'nickname': 'x', 'url': 'https://example.com/h', 'topics': ['*'], "
                        + "'job_ids': ['job_00000000000000000000000000']}")));
        assertEquals("job_ids", unknownJob.errors().getFirst().field());
    }

    /**
     * The built-in loop hears every final failure but a success only when it follows one: an incident can only be
     * open then. Ordinary subscriptions hear every success.
     */
    @Test
    void theBuiltInSubscriptionHearsASuccessOnlyAfterAFailure() {
        String builtInPath = "/hooks/built-in-" + UUID.randomUUID();
        String everyPath = "/hooks/every-" + UUID.randomUUID();
        webhooks.ensureBuiltIn(java.net.URI.create(subscriber.baseUrl() + builtInPath), WebhookSecret.generate());
        assertEquals(java.net.URI.create(subscriber.baseUrl() + "/hooks/built-in"),
                webhooks.get(WebhookService.BUILT_IN_ID).url(), "the stored URL never shows the intake token");
        webhooks.create(Drafts.of(WebhookDraft.class, "{'nickname': 'every', 'url': '" + subscriber.baseUrl() + everyPath
                + "', 'topics': ['job.execution.succeeded', 'job.execution.failed']}"));
        String path = "/flip/" + UUID.randomUUID();
        Job job = jobs.create(Drafts.of(JobDraft.class, "{'name': 'flip', 'url': '" + target.baseUrl() + path + "', 'cron': '0 0 1 1 *'}"));

        runOnce(job, path, 200);
        runOnce(job, path, 200);
        runOnce(job, path, 503);
        runOnce(job, path, 503);
        runOnce(job, path, 200);
        runOnce(job, path, 200);
        await("every event to the ordinary subscription", Duration.ofSeconds(5), () -> received(everyPath).size() == 6);
        sleep(500);
        assertEquals(List.of(JobEvent.FAILED, JobEvent.FAILED, JobEvent.SUCCEEDED),
                received(builtInPath).stream().map(r -> r.getHeader("X-Cronhook-Event")).toList(),
                "the built-in loop: both failures, then the recovery, and no other success");
    }

    private void runOnce(Job job, String path, int status) {
        target.stubFor(any(urlPathEqualTo(path)).willReturn(aResponse().withStatus(status)));
        Execution execution = executionService.trigger(job.id());
        await("the run ended", Duration.ofSeconds(5), () -> executionService.get(execution.id()).status()
                != ExecutionStatus.RUNNING);
        sleep(100); // its events are committed with the outcome; let the worker pick them up in order
    }

    @Test
    void aSubscriberThatAnswers500ThenRecoversGetsTheEventWithTheSameId() {
        String hookPath = "/hooks/flaky-" + UUID.randomUUID();
        subscriber.stubFor(post(urlPathEqualTo(hookPath)).inScenario(hookPath).whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(500)).willSetStateTo("up"));
        subscriber.stubFor(post(urlPathEqualTo(hookPath)).inScenario(hookPath).whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(200)));
        Webhook webhook = webhooks.create(Drafts.of(WebhookDraft.class, "{'nickname': 'flaky', 'url': '" + subscriber.baseUrl() + hookPath
                + "', 'topics': ['job.execution.succeeded']}"));
        Job job = jobs.create(Drafts.of(JobDraft.class, "{'name': 'ok', 'url': '" + target.baseUrl() + "/ok/1', 'cron': '0 0 1 1 *'}"));
        executionService.trigger(job.id());

        await("delivered on the second attempt", Duration.ofSeconds(8),
                () -> webhooks.deliveries(webhook.id(), null, 10).data().stream()
                        .anyMatch(d -> d.status() == DeliveryStatus.SUCCEEDED));
        List<LoggedRequest> sent = received(hookPath);
        assertEquals(2, sent.size());
        assertEquals(sent.get(0).getHeader("webhook-id"), sent.get(1).getHeader("webhook-id"));
        assertNotEquals(sent.get(0).getBodyAsString(), "", "a body each time");
        assertEquals(sent.get(0).getBodyAsString(), sent.get(1).getBodyAsString(), "the same event");
        Delivery delivery = webhooks.deliveries(webhook.id(), null, 10).data().getFirst();
        assertEquals(JobEvent.SUCCEEDED, delivery.eventType());
        assertEquals(2, delivery.attempts().size());
        assertEquals(500, delivery.attempts().get(0).statusCode());
        assertEquals(200, delivery.attempts().get(1).statusCode());
        assertNull(delivery.nextAttemptAt());

        // Redelivery sends the same event again, with the same id.
        Delivery again = webhooks.redeliver(webhook.id(), delivery.id());
        assertEquals(delivery.id(), again.id());
        await("redelivered", Duration.ofSeconds(5), () -> received(hookPath).size() == 3);
        assertEquals(sent.get(0).getHeader("webhook-id"), received(hookPath).get(2).getHeader("webhook-id"));
        await("recorded", Duration.ofSeconds(5),
                () -> webhooks.delivery(webhook.id(), delivery.id()).attempts().size() == 3);
    }

    @Test
    void aSubscriberThatAnswers410IsDisabled() {
        String hookPath = "/hooks/gone-" + UUID.randomUUID();
        subscriber.stubFor(post(urlPathEqualTo(hookPath)).willReturn(aResponse().withStatus(410)));
        // One topic: a run's started and succeeded events would be in flight together, and a 410 stops what
        // comes after it, not what is already on the wire.
        Webhook webhook = webhooks.create(Drafts.of(WebhookDraft.class, "{'nickname': 'gone', 'url': '" + subscriber.baseUrl() + hookPath
                + "', 'topics': ['job.execution.succeeded']}"));
        Job job = jobs.create(Drafts.of(JobDraft.class, "{'name': 'ok', 'url': '" + target.baseUrl() + "/ok/2', 'cron': '0 0 1 1 *'}"));
        executionService.trigger(job.id());

        await("disabled", Duration.ofSeconds(5), () -> !webhooks.get(webhook.id()).enabled());
        assertTrue(webhooks.get(webhook.id()).disabledReason().contains("410"),
                webhooks.get(webhook.id()).disabledReason());
        sleep(1500);
        assertEquals(1, received(hookPath).size(), "no more requests after 410: " + received(hookPath).size());
        executionService.trigger(job.id());
        sleep(1000);
        assertEquals(1, received(hookPath).size(), "a disabled subscription hears nothing");

        Webhook enabled = webhooks.update(webhook.id(), Drafts.of(WebhookDraft.class, "{'enabled': true}"));
        assertTrue(enabled.enabled());
        assertNull(enabled.disabledReason(), "re-enabling clears the reason");
    }

    @Test
    void pingAndRotationBothSignaturesVerifyDuringTheOverlap() {
        String hookPath = "/hooks/ping-" + UUID.randomUUID();
        Webhook webhook = webhooks.create(Drafts.of(WebhookDraft.class, "{'nickname': 'ping', 'url': '" + subscriber.baseUrl() + hookPath
                + "', 'topics': ['job.execution.started']}"));
        Delivery ping = webhooks.ping(webhook.id());
        assertEquals(DeliveryStatus.SUCCEEDED, ping.status());
        assertEquals(1, ping.attempts().size());
        assertEquals(204, ping.attempts().getFirst().statusCode());
        LoggedRequest first = received(hookPath).getFirst();
        assertEquals(JobEvent.PING, first.getHeader("X-Cronhook-Event"));
        assertEquals(webhook.id(), body(first).get("data").get("webhook").get("id").asText());
        assertInstanceOf(VerificationResult.Verified.class, verify(first, List.of(webhook.secrets().current())));

        Webhook rotated = webhooks.rotateSecret(webhook.id());
        WebhookSecret old = webhook.secrets().current();
        WebhookSecret current = rotated.secrets().current();
        assertNotEquals(old, current);
        webhooks.ping(webhook.id());
        LoggedRequest second = received(hookPath).get(1);
        assertEquals(2, second.getHeader("webhook-signature").split(" ").length, "one entry per secret");
        assertInstanceOf(VerificationResult.Verified.class, verify(second, List.of(current)), "new secret verifies");
        assertInstanceOf(VerificationResult.Verified.class, verify(second, List.of(old)), "old secret verifies");
        assertEquals(2, webhooks.deliveries(webhook.id(), null, 10).data().size(), "pings are in the log");
    }

    // ----------------------------------------------------------------------------------------------------------------

    private List<LoggedRequest> received(String path) {
        List<LoggedRequest> requests = new ArrayList<>(subscriber.findAll(anyRequestedFor(urlPathEqualTo(path))));
        requests.sort(Comparator.comparing(LoggedRequest::getLoggedDate));
        return requests;
    }

    private static VerificationResult verify(LoggedRequest request, List<WebhookSecret> secrets) {
        Map<String, String> headers = new HashMap<>();
        for (String name : List.of("webhook-id", "webhook-timestamp", "webhook-signature")) {
            headers.put(name, request.getHeader(name));
        }
        return new SignatureVerifier(Clock.systemUTC()).verifyStandard(headers, request.getBody(), secrets);
    }

    private static JsonNode body(LoggedRequest request) {
        try {
            return JSON.readTree(request.getBody());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }


    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + timeout.toMillis() + " ms waiting for: " + what);
            }
            sleep(50);
        }
    }
}
