package dev.cronhook.incident.intake;

import static dev.cronhook.incident.intake.ParserTesting.bodyJson;
import static dev.cronhook.incident.intake.ParserTesting.ignore;
import static dev.cronhook.incident.intake.ParserTesting.parse;
import static dev.cronhook.incident.intake.ParserTesting.refusedNaming;
import static dev.cronhook.incident.intake.ParserTesting.resolve;
import static dev.cronhook.incident.intake.ParserTesting.trigger;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cronhook.common.DomainException;
import dev.cronhook.incident.incidents.ParsedEvent;
import dev.cronhook.incident.integrations.IntegrationType;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Cron To Go webhook notifications, as its documentation shows them, and its X-Hub-Signature. */
class CronToGoParserTest {
    private static final IntegrationType TYPE = IntegrationType.CRONTOGO;

    private static String execution(String topic, String state, String lastAttempt) {
        return """
                {"Id": "265a4af1-7db2-41ad-a3d1-79f7ef2b20ac", "Topic": "%s", "CreatedAt": 1590591051225,
                 "UpdatedAt": 1590591051225, "Resource": "JobExecution", "PreviousData": null,
                 "Data": {"AttemptsCount": 1, "TriggerType": "schedule",
                          "Target": {"Type": "dyno", "TimeToLive": 1800, "AppId": "22e1e196-fbc6-4091-af57-8d7ad63aa7d3",
                                     "Command": "python run_etl.py", "Size": "Hobby"},
                          "State": "%s", "CreatedAt": 1590591046983, "Id": "43668791-ce11-4994-9e91-fc8fda310614",
                          "OrganizationId": "d57060b1-23fe-2d59-afd0-7f56d9e1fc55", "NextAttemptAt": null,
                          "UpdatedAt": 1590591051024, "JobId": "6069e1c0-280d-22a3-93ce-159d9a60924d",
                          "LastAttempt": %s},
                 "Metadata": {"Webhook": {"Id": "6b1c6f0c-52c1-47a6-9344-57a4579ced68"},
                              "Delivery": {"Id": "a03167ee-e26c-47dc-a798-f3fa4eb2a41d"},
                              "Event": {"Id": "265a4af1-7db2-41ad-a3d1-79f7ef2b20ac", "Topic": "%s"}}}
                """.formatted(topic, state, lastAttempt, topic);
    }

    @Test
    void aFailedExecutionTriggersKeyedByTheJobId() {
        ParsedEvent.Trigger trigger = trigger(parse(TYPE, execution("job.execution.failed", "failed",
                "{\"ExitStatus\": 7, \"Message\": \"Process exited with status 7\", \"State\": \"failed\", "
                        + "\"CreatedAt\": 1590591046512, \"StatusCode\": 201}")));

        assertEquals("6069e1c0-280d-22a3-93ce-159d9a60924d", trigger.key());
        assertTrue(trigger.title().contains("python run_etl.py"), trigger.title());
        assertEquals("Process exited with status 7", bodyJson(trigger).path("LastAttempt").path("Message").asText());
        assertEquals(7, bodyJson(trigger).path("LastAttempt").path("ExitStatus").asInt());
        assertEquals("2020-05-27T14:50:46.983Z", bodyJson(trigger).path("CreatedAt").asText(),
                "epoch milliseconds are shown as RFC 3339");
    }

    @Test
    void aSucceededExecutionResolvesTheJobsIncident() {
        ParsedEvent.Resolve resolve = resolve(parse(TYPE, execution("job.execution.succeeded", "succeeded",
                "{\"ExitStatus\": 0, \"State\": \"succeeded\", \"CreatedAt\": 1590591011017, \"StatusCode\": 201}")));

        assertEquals("6069e1c0-280d-22a3-93ce-159d9a60924d", resolve.key());
    }

    @Test
    void aStartedExecutionIsIgnored() {
        ignore(parse(TYPE, execution("job.execution.started", "running",
                "{\"State\": \"running\", \"CreatedAt\": 1590591046512, \"StatusCode\": 201}")));
    }

    @Test
    void aPingIsIgnored() {
        ignore(parse(TYPE, """
                {"Metadata": {"Webhook": {"Id": "6b1c6f0c-52c1-47a6-9344-57a4579ced68"},
                              "Event": {"Id": "2e579289-4c4a-4085-9b43-74020865cdda", "Topic": "webhook.ping"}},
                 "CreatedAt": 1590911947688, "Resource": "webhook", "PreviousData": null,
                 "Data": {"Topics": ["job.execution.succeeded", "job.execution.failed"], "State": "paused",
                          "Alias": "Test Webhook", "Id": "6b1c6f0c-52c1-47a6-9344-57a4579ced68"},
                 "Id": "2e579289-4c4a-4085-9b43-74020865cdda", "Topic": "webhook.ping", "UpdatedAt": 1590911947688}
                """));
    }

    @Test
    void missingFieldsAreNamed() {
        refusedNaming("Topic", TYPE, "{\"Data\": {\"JobId\": \"j1\"}}");
        refusedNaming("Data.JobId", TYPE, "{\"Topic\": \"job.execution.failed\", \"Data\": {}}");
        refusedNaming("Data.JobId", TYPE, "{\"Topic\": \"job.execution.succeeded\"}");
    }

    // The test vector of Cron To Go's documentation.
    private static final String SECRET = "Very Secret Secret";
    private static final byte[] PAYLOAD = "Hello! This is a test payload.".getBytes(UTF_8);
    private static final String SIGNATURE = "sha256=8ba4c47558de1872150c3ec82211c34bf0cbd6d60fc4f9875b97853af06de917";

    @Test
    void theDocumentedSignatureVerifies() {
        assertDoesNotThrow(() -> IntakeSignatures.checkHub(SECRET, SIGNATURE, PAYLOAD));
    }

    @Test
    void aBareBase64DigestVerifiesToo() {
        String base64 = Base64.getEncoder().encodeToString(HexFormat.of().parseHex(SIGNATURE.substring(7)));
        assertDoesNotThrow(() -> IntakeSignatures.checkHub(SECRET, base64, PAYLOAD));
    }

    @Test
    void aSignatureOfAnotherBodyIsRefused() {
        assertThrows(DomainException.BadSignature.class,
                () -> IntakeSignatures.checkHub(SECRET, SIGNATURE, "Hello! This is a test payload!".getBytes(UTF_8)));
    }

    @Test
    void aSignatureWithAnotherSecretIsRefused() {
        assertThrows(DomainException.BadSignature.class,
                () -> IntakeSignatures.checkHub("Another Secret", SIGNATURE, PAYLOAD));
    }

    @Test
    void aMissingOrMalformedSignatureIsRefused() {
        assertThrows(DomainException.BadSignature.class, () -> IntakeSignatures.checkHub(SECRET, null, PAYLOAD));
        assertThrows(DomainException.BadSignature.class, () -> IntakeSignatures.checkHub(SECRET, "", PAYLOAD));
        assertThrows(DomainException.BadSignature.class,
                () -> IntakeSignatures.checkHub(SECRET, "sha256=zz", PAYLOAD));
        assertThrows(DomainException.BadSignature.class,
                () -> IntakeSignatures.checkHub(SECRET, SIGNATURE.substring(0, 40), PAYLOAD));
    }
}
