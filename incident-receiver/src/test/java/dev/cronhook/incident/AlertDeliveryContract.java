package dev.cronhook.incident;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.cronhook.common.db.DbClients;
import dev.cronhook.delivery.cluster.NodeHeartbeat;
import dev.cronhook.delivery.http.HttpSender;
import dev.cronhook.delivery.outbox.DeliveryModule;
import dev.cronhook.delivery.outbox.DeliverySettings;
import dev.cronhook.delivery.signing.SignatureVerifier;
import dev.cronhook.delivery.signing.WebhookSecret;
import dev.cronhook.delivery.testing.Drafts;
import dev.cronhook.delivery.testing.TestDatabase;
import dev.cronhook.delivery.testing.TestDatabaseKind;
import dev.cronhook.incident.channels.ChannelDraft;
import dev.cronhook.incident.channels.CreatedChannel;
import dev.cronhook.incident.incidents.IntakeAction;
import dev.cronhook.incident.incidents.IntakeResult;
import dev.cronhook.incident.intake.CronhookParserTest;
import dev.cronhook.incident.intake.IncomingHeaders;
import dev.cronhook.incident.integrations.BuiltInIntegration;
import dev.cronhook.incident.integrations.CreatedIntegration;
import dev.cronhook.incident.integrations.IntegrationDraft;
import io.helidon.dbclient.DbClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Alerts through the real durable delivery of webhook-delivery: the receiver started as the server starts it, alert
 * channels on a WireMock endpoint. One subclass per database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AlertDeliveryContract {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Clock clock = Clock.tickMillis(ZoneOffset.UTC);

    private TestDatabase database;
    private DbClient db;
    private HttpSender sender;
    private DeliveryModule delivery;
    private ReceiverModule receiver;
    private WireMockServer target;

    abstract TestDatabaseKind kind();

    @BeforeAll
    void start() {
        target = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        target.start();
        target.stubFor(any(urlPathEqualTo("/alerts")).willReturn(aResponse().withStatus(200)));
        target.stubFor(any(urlPathEqualTo("/slack")).willReturn(aResponse().withStatus(200).withBody("ok")));
        target.stubFor(any(urlPathEqualTo("/gone")).willReturn(aResponse().withStatus(410)));
        database = TestDatabase.create(kind());
        db = DbClients.over(database.dataSource());
        sender = new HttpSender(clock, "Cronhook/test");
        delivery = DeliveryModule.create(database.dataSource(), db, sender, clock, DeliverySettings.defaults()
                        .withRetryDelays(List.of(Duration.ofMillis(200))).withTimeout(Duration.ofSeconds(5))
                        .withPollInterval(Duration.ofMillis(100)).withClaimBatch(50)
                        .withLeaseGrace(Duration.ofSeconds(5)).withBreakerWait(Duration.ofSeconds(1)),
                new NodeHeartbeat(db, clock, "test", NodeHeartbeat.Settings.defaults(false)));
        receiver = ReceiverModule.start(database.dataSource(), db, delivery, JSON, clock, ReceiverSettings.defaults());
        delivery.start();
    }

    @AfterAll
    void stop() {
        receiver.close();
        delivery.close();
        sender.close();
        db.close();
        database.close();
        target.stop();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + target.port() + path;
    }

    private static ChannelDraft channelDraft(String json) {
        return Drafts.of(ChannelDraft.class, json(json));
    }

    private static IntegrationDraft integrationDraft(String json) {
        return Drafts.of(IntegrationDraft.class, json(json));
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private IntakeResult post(CreatedIntegration integration, String body) {
        return receiver.intake().receive(integration.token(), IncomingHeaders.of(Map.of()), body.getBytes(UTF_8))
                .events().getFirst().result();
    }

    private List<LoggedRequest> awaitRequests(String path, int count) {
        return await("at least " + count + " request(s) on " + path,
                () -> target.findAll(anyRequestedFor(urlPathEqualTo(path))), list -> list.size() >= count);
    }

    private static <T> T await(String what, Supplier<T> value, java.util.function.Predicate<T> done) {
        Instant deadline = Instant.now().plusSeconds(20);
        T last = value.get();
        while (!done.test(last)) {
            if (Instant.now().isAfter(deadline)) {
                fail("waited 20 s for " + what + "; last seen: " + last);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            last = value.get();
        }
        return last;
    }

    @Test
    void webhookChannelsGetSignedIncidentEventsAndSlackChannelsATextMessage() {
        CreatedChannel webhook = receiver.channels().create(channelDraft("{\"type\": \"webhook\", \"url\": \""
                + url("/alerts") + "\"}"));
        receiver.channels().create(channelDraft("{\"type\": \"slack\", \"url\": \"" + url("/slack") + "\"}"));
        CreatedIntegration spike = receiver.integrations().create(integrationDraft("{\"name\": \"alerts\", \"type\": \"generic\"}"));

        String incidentId = post(spike, "{\"title\": \"Checkout down\", \"severity\": \"sev1\"}").incidentId();
        receiver.incidents().acknowledge(incidentId);
        post(spike, "{\"title\": \"Checkout down\", \"status\": \"resolve\"}");

        List<LoggedRequest> alerts = awaitRequests("/alerts", 3);
        SignatureVerifier verifier = new SignatureVerifier(clock);
        for (LoggedRequest alert : alerts) {
            Map<String, String> headers = Map.of(
                    "webhook-id", alert.getHeader("webhook-id"),
                    "webhook-timestamp", alert.getHeader("webhook-timestamp"),
                    "webhook-signature", alert.getHeader("webhook-signature"));
            assertTrue(verifier.verifyStandard(headers, alert.getBody(), List.of(webhook.signingSecret())).isVerified(),
                    "signed with the channel's secret");
            JsonNode event = json(alert.getBodyAsString());
            assertEquals(alert.getHeader("webhook-id"), event.path("id").asText());
            assertEquals(alert.getHeader("X-Cronhook-Event"), event.path("type").asText());
            assertEquals(incidentId, event.path("data").path("incident").path("id").asText());
        }
        assertEquals(java.util.Set.of("incident.opened", "incident.acknowledged", "incident.resolved"),
                alerts.stream().map(a -> a.getHeader("X-Cronhook-Event")).collect(java.util.stream.Collectors.toSet()));

        List<LoggedRequest> slack = awaitRequests("/slack", 3);
        for (LoggedRequest message : slack) {
            String text = json(message.getBodyAsString()).path("text").asText();
            assertTrue(text.contains("Checkout down") && text.contains("[SEV1]"), text);
            assertEquals("application/json", message.getHeader("Content-Type"));
            assertFalse(message.containsHeader("webhook-signature"), "Slack verifies nothing: no signature");
        }
    }

    @Test
    void aChannelAnswering410IsDisabled() {
        CreatedChannel gone = receiver.channels().create(channelDraft("{\"type\": \"webhook\", \"url\": \"" + url("/gone")
                + "\"}"));
        CreatedIntegration spike = receiver.integrations().create(integrationDraft("{\"name\": \"gone\", \"type\": \"generic\"}"));

        post(spike, "{\"title\": \"Something for a gone endpoint\"}");

        awaitRequests("/gone", 1);
        await("the channel disabled", () -> receiver.channels().get(gone.channel().id()).enabled(), enabled -> !enabled);
        assertFalse(receiver.channels().get(gone.channel().id()).enabled());
    }

    @Test
    void theBuiltInIntegrationsSecretVerifiesWhatCronhookSigns() {
        BuiltInIntegration builtIn = receiver.ensureBuiltIn(WebhookSecret.generate().value());
        byte[] body = CronhookParserTest.failed(true).getBytes(UTF_8);
        Map<String, String> headers = dev.cronhook.delivery.signing.RequestSigner.signatureHeaders("evt_01jd3k9x2m4n5p6q7r8s9t0v1w",
                clock.instant(), body, List.of(builtIn.signingSecret()));

        IntakeResult result = receiver.intake().receive(builtIn.token(), IncomingHeaders.of(headers), body)
                .events().getFirst().result();

        assertEquals(IntakeAction.OPENED, result.action());
    }
}
