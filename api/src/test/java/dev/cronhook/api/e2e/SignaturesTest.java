package dev.cronhook.api.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The end-to-end tests' own signature code, against known answers, so that their signature checks mean something. */
class SignaturesTest {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);

    @Test
    void standardWebhooksPublishedVector() {
        assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
                Signatures.standard(SECRET, "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", BODY));
    }

    @Test
    void hexSignatureIsKeyedWithTheWholeSecretString() {
        // Computed with Python's hmac module: hmac.new(secret.encode(), body, sha256).hexdigest().
        assertEquals("sha256=80ec8a89ce3cd22133a1066caecb4d04fea7467657c8514d717ec42c38a5c94c",
                Signatures.cronhook(SECRET, BODY));
    }
}
