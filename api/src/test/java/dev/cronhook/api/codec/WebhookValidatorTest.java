package dev.cronhook.api.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cronhook.common.DomainException;
import dev.cronhook.common.FieldError;
import dev.cronhook.scheduler.notify.WebhookDraft;
import dev.cronhook.scheduler.notify.WebhookValidator;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PRODUCT.md section 6: what a webhook subscription may look like, and what each rejection names, from the request's
 * JSON through its codec to the webhook service's validator.
 */
class WebhookValidatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VALID = "'nickname': 'ops', 'url': 'https://hooks.example.com/cronhook', ";
    private final WebhookValidator validator = new WebhookValidator(
            url -> url.getHost().equals("169.254.169.254")
                    ? Optional.of("169.254.169.254 is link-local; refused by the network policy") : Optional.empty());

    @Test
    void aFullCreateIsReadAsGiven() {
        WebhookValidator.Settings settings = validator.read(draft("{" + VALID + "'authorization': 'Bearer abc', "
                + "'topics': ['job.execution.failed', 'job.execution.succeeded'], "
                + "'job_ids': ['job_01jd0000000000000000000000'], 'enabled': false}"), null);
        assertEquals("ops", settings.nickname());
        assertEquals(URI.create("https://hooks.example.com/cronhook"), settings.url());
        assertEquals("Bearer abc", settings.authorization());
        assertEquals(List.of("job.execution.failed", "job.execution.succeeded"), settings.topics());
        assertEquals(List.of("job_01jd0000000000000000000000"), settings.jobIds());
        assertEquals(false, settings.enabled());
    }

    @Test
    void defaultsAreEnabledForEveryJobWithoutAuthorization() {
        WebhookValidator.Settings settings = validator.read(draft("{" + VALID + "'topics': ['*']}"), null);
        assertEquals(List.of("*"), settings.topics());
        assertEquals(List.of(), settings.jobIds());
        assertNull(settings.authorization());
        assertTrue(settings.enabled());
    }

    @Test
    void aPatchKeepsWhatItDoesNotName() {
        WebhookValidator.Settings current = validator.read(draft("{" + VALID + "'authorization': 'Bearer abc', "
                + "'topics': ['*']}"), null);
        WebhookValidator.Settings patched = validator.read(draft("{'enabled': false}"), current);
        assertEquals(current.url(), patched.url());
        assertEquals("Bearer abc", patched.authorization());
        assertEquals(false, patched.enabled());
        assertNull(validator.read(draft("{'authorization': null}"), current).authorization(), "null removes it");
    }

    @Test
    void requiredFieldsAreNamed() {
        List<FieldError> errors = errorsOf("{}");
        assertEquals(List.of("nickname", "url", "topics"), errors.stream().map(FieldError::field).toList());
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "['job.execution.done']", "['*', 'job.execution.failed']", "'*'", "[1]"})
    void badTopicsAreRefused(String topics) {
        assertOnly("topics", errorsOf("{" + VALID + "'topics': " + topics + "}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"'ftp://example.com/x'", "'/relative'", "'https://user:pw@example.com/'", "42",
            "'http://169.254.169.254/latest/meta-data'"})
    void badUrlsAreRefused(String url) {
        List<FieldError> errors = errorsOf("{'nickname': 'n', 'url': " + url + ", 'topics': ['*']}");
        assertOnly("url", errors);
    }

    @Test
    void theNetworkPolicyReasonIsTheMessage() {
        List<FieldError> errors = errorsOf("{'nickname': 'n', 'url': 'http://169.254.169.254/', 'topics': ['*']}");
        assertTrue(errors.getFirst().message().contains("link-local"), errors.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"''", "'Bearer a\\nInjected: yes'", "7"})
    void badAuthorizationIsRefusedWithoutEchoingIt(String value) {
        List<FieldError> errors = errorsOf("{" + VALID + "'topics': ['*'], 'authorization': " + value + "}");
        assertOnly("authorization", errors);
        assertTrue(!errors.getFirst().message().contains("Injected"), "the value is never echoed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"['nope']", "'job_01jd0000000000000000000000'", "[1]"})
    void badJobIdsAreRefused(String jobIds) {
        assertOnly("job_ids", errorsOf("{" + VALID + "'topics': ['*'], 'job_ids': " + jobIds + "}"));
    }

    @Test
    void unknownFieldsAreNamedAndReadOnlyOnesTolerated() {
        assertOnly("colour", errorsOf("{" + VALID + "'topics': ['*'], 'colour': 'red'}"));
        validator.read(draft("{" + VALID + "'topics': ['*'], 'id': 'wh_x', 'has_authorization': false, "
                + "'created_at': 'x', 'updated_at': 'y', 'disabled_reason': null}"), null);
    }

    @Test
    void notAnObjectIsRefused() {
        assertThrows(DomainException.Invalid.class, () -> validator.read(draft("[1]"), null));
    }

    private List<FieldError> errorsOf(String singleQuoted) {
        return assertThrows(DomainException.Invalid.class, () -> validator.read(draft(singleQuoted), null)).errors();
    }

    private static void assertOnly(String field, List<FieldError> errors) {
        assertEquals(1, errors.size(), errors.toString());
        assertEquals(field, errors.getFirst().field());
    }

    private static WebhookDraft draft(String singleQuoted) {
        return WebhookCodec.decode(json(singleQuoted));
    }

    private static JsonNode json(String singleQuoted) {
        try {
            return JSON.readTree(singleQuoted.replace('\'', '"'));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(singleQuoted, e);
        }
    }
}
