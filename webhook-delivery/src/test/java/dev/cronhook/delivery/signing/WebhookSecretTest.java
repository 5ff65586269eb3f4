package dev.cronhook.delivery.signing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookSecretTest {

    @Test
    void generatedSecretsAreThirtyTwoRandomBytesInStandardBase64() {
        WebhookSecret secret = WebhookSecret.generate();

        assertTrue(secret.value().startsWith("whsec_"));
        assertEquals(32, secret.keyBytes().length);
        assertArrayEquals(Base64.getDecoder().decode(secret.value().substring(6)), secret.keyBytes());
        assertNotEquals(secret, WebhookSecret.generate());
    }

    @Test
    void keyBytesAreTheDecodedPartAfterThePrefix() {
        WebhookSecret secret = new WebhookSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");

        assertArrayEquals(Base64.getDecoder().decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), secret.keyBytes());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "whsec_", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_not base64!", "WHSEC_c2VjcmV0"})
    void malformedSecretsAreRefusedWithoutEchoingThem(String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new WebhookSecret(value));

        if (!value.isEmpty() && !value.equals("whsec_")) {
            assertFalse(e.getMessage().contains(value), e.getMessage());
        }
    }

    @Test
    void toStringDoesNotDiscloseTheSecret() {
        WebhookSecret secret = WebhookSecret.generate();

        assertFalse(secret.toString().contains(secret.value().substring(6)));
    }
}
