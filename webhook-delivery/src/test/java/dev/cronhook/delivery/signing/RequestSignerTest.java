package dev.cronhook.delivery.signing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class RequestSignerTest {

    // The Standard Webhooks specification's published test vector (also in Svix's test suite).
    static final WebhookSecret VECTOR_SECRET = new WebhookSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    static final String VECTOR_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    static final long VECTOR_TIMESTAMP = 1614265330;
    static final byte[] VECTOR_BODY = "{\"test\": 2432232314}".getBytes(UTF_8);
    static final String VECTOR_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    @Test
    void standardSignatureMatchesThePublishedVector() {
        assertEquals(VECTOR_SIGNATURE,
                RequestSigner.standardSignature(VECTOR_SECRET, VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_BODY));
    }

    @Test
    void standardSignatureMatchesAnIndependentComputation() throws Exception {
        WebhookSecret secret = WebhookSecret.generate();
        byte[] body = {0, (byte) 0xff, 'x'}; // not UTF-8: must be signed as raw bytes

        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.value().substring(6)), "HmacSHA256"));
        mac.update("msg_1.1700000000.".getBytes(UTF_8));
        String expected = "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));

        assertEquals(expected, RequestSigner.standardSignature(secret, "msg_1", 1700000000, body));
    }

    @Test
    void cronlySignatureIsHexHmacOfTheRawBodyKeyedWithTheWholeSecretString() throws Exception {
        byte[] body = "{\"job\":\"nightly-backup\",\"run\":42}".getBytes(UTF_8);

        // Verified the way Cronly's example receiver does it: HMAC-SHA256 of the raw body, keyed
        // with the secret string as configured, compared as "sha256=" + lowercase hex.
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(VECTOR_SECRET.value().getBytes(UTF_8), "HmacSHA256"));
        String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));

        String signature = RequestSigner.cronlySignature(VECTOR_SECRET, body);
        assertEquals(expected, signature);
        // Fixed vector, from: printf '%s' "$body" | openssl dgst -sha256 -hmac "$secret"
        assertEquals("sha256=170e5ad3c2329d13a70e050447c5e7eeb4d57ef5ebcac80e36c7b013ed4a5a39", signature);
    }

    @Test
    void headersCarryBothSchemesWithTheCurrentSecretFirst() {
        WebhookSecret current = WebhookSecret.generate();
        WebhookSecret previous = VECTOR_SECRET;
        Instant attempt = Instant.ofEpochSecond(VECTOR_TIMESTAMP, 999_000_000);

        Map<String, String> headers = RequestSigner.signatureHeaders(
                VECTOR_ID, attempt, VECTOR_BODY, List.of(current, previous));

        assertEquals(List.of("X-Cronhook-Signature", "webhook-id", "webhook-timestamp", "webhook-signature"),
                List.copyOf(headers.keySet()));
        assertEquals(RequestSigner.cronlySignature(current, VECTOR_BODY), headers.get("X-Cronhook-Signature"));
        assertEquals(VECTOR_ID, headers.get("webhook-id"));
        assertEquals("1614265330", headers.get("webhook-timestamp"));
        assertEquals(RequestSigner.standardSignature(current, VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_BODY)
                + " " + VECTOR_SIGNATURE, headers.get("webhook-signature"));
    }

    @Test
    void aMissingBodyIsSignedAsAnEmptyOne() {
        assertEquals(RequestSigner.cronlySignature(VECTOR_SECRET, new byte[0]),
                RequestSigner.cronlySignature(VECTOR_SECRET, null));
        assertEquals(RequestSigner.standardSignature(VECTOR_SECRET, "m", 1, new byte[0]),
                RequestSigner.standardSignature(VECTOR_SECRET, "m", 1, null));
    }

    @Test
    void refusesToSignWithoutSecretsOrId() {
        Instant now = Instant.ofEpochSecond(1);
        assertThrows(IllegalArgumentException.class,
                () -> RequestSigner.signatureHeaders("msg_1", now, VECTOR_BODY, List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> RequestSigner.signatureHeaders(" ", now, VECTOR_BODY, List.of(VECTOR_SECRET)));
        assertThrows(IllegalArgumentException.class,
                () -> RequestSigner.signatureHeaders("a\r\nb", now, VECTOR_BODY, List.of(VECTOR_SECRET)));
    }
}
