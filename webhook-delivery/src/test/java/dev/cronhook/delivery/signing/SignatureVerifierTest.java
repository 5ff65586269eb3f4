package dev.cronhook.delivery.signing;

import static dev.cronhook.delivery.signing.RequestSignerTest.VECTOR_BODY;
import static dev.cronhook.delivery.signing.RequestSignerTest.VECTOR_ID;
import static dev.cronhook.delivery.signing.RequestSignerTest.VECTOR_SECRET;
import static dev.cronhook.delivery.signing.RequestSignerTest.VECTOR_SIGNATURE;
import static dev.cronhook.delivery.signing.RequestSignerTest.VECTOR_TIMESTAMP;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.cronhook.delivery.signing.VerificationResult.Reason;
import dev.cronhook.delivery.signing.VerificationResult.Rejected;
import dev.cronhook.delivery.signing.VerificationResult.Verified;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SignatureVerifierTest {

    private static final String TS = Long.toString(VECTOR_TIMESTAMP);
    private static final List<WebhookSecret> SECRETS = List.of(VECTOR_SECRET);

    private static SignatureVerifier verifierAt(long epochSecond) {
        return new SignatureVerifier(Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC));
    }

    private static final SignatureVerifier VERIFIER = verifierAt(VECTOR_TIMESTAMP + 10);

    private static Reason rejection(VerificationResult result) {
        Rejected rejected = assertInstanceOf(Rejected.class, result);
        // Whatever the reason, the detail never discloses a secret.
        assertFalse(rejected.detail().contains(VECTOR_SECRET.value().substring(6)), rejected.detail());
        return rejected.reason();
    }

    @Nested
    class StandardWebhooks {

        @Test
        void acceptsThePublishedVector() {
            VerificationResult result = VERIFIER.verifyStandard(VECTOR_ID, TS, VECTOR_SIGNATURE, VECTOR_BODY, SECRETS);

            assertEquals(new Verified(0), result);
        }

        @Test
        void readsHeadersCaseInsensitively() {
            Map<String, String> headers = Map.of(
                    "Webhook-Id", VECTOR_ID, "WEBHOOK-TIMESTAMP", TS, "webhook-signature", VECTOR_SIGNATURE);

            assertEquals(new Verified(0), VERIFIER.verifyStandard(headers, VECTOR_BODY, SECRETS));
        }

        @Test
        void rejectsTheWrongSecret() {
            VerificationResult result = VERIFIER.verifyStandard(
                    VECTOR_ID, TS, VECTOR_SIGNATURE, VECTOR_BODY, List.of(WebhookSecret.generate()));

            assertEquals(Reason.NO_MATCHING_SIGNATURE, rejection(result));
        }

        @Test
        void rejectsATamperedBody() {
            byte[] tampered = "{\"test\": 2432232315}".getBytes(UTF_8);

            assertEquals(Reason.NO_MATCHING_SIGNATURE,
                    rejection(VERIFIER.verifyStandard(VECTOR_ID, TS, VECTOR_SIGNATURE, tampered, SECRETS)));
        }

        @Test
        void rejectsATamperedId() {
            assertEquals(Reason.NO_MATCHING_SIGNATURE, rejection(VERIFIER.verifyStandard(
                    "msg_p5jXN8AQM9LWM0D4loKWxJeK", TS, VECTOR_SIGNATURE, VECTOR_BODY, SECRETS)));
        }

        @Test
        void rejectsATamperedTimestampEvenWithinTolerance() {
            assertEquals(Reason.NO_MATCHING_SIGNATURE, rejection(VERIFIER.verifyStandard(
                    VECTOR_ID, Long.toString(VECTOR_TIMESTAMP + 1), VECTOR_SIGNATURE, VECTOR_BODY, SECRETS)));
        }

        @Test
        void rejectsATimestampTooOld() {
            SignatureVerifier later = verifierAt(VECTOR_TIMESTAMP + 301);

            assertEquals(Reason.TIMESTAMP_TOO_OLD,
                    rejection(later.verifyStandard(VECTOR_ID, TS, VECTOR_SIGNATURE, VECTOR_BODY, SECRETS)));
        }

        @Test
        void rejectsATimestampTooNew() {
            SignatureVerifier earlier = verifierAt(VECTOR_TIMESTAMP - 301);

            assertEquals(Reason.TIMESTAMP_TOO_NEW,
                    rejection(earlier.verifyStandard(VECTOR_ID, TS, VECTOR_SIGNATURE, VECTOR_BODY, SECRETS)));
        }

        @Test
        void acceptsTimestampsAtTheEdgesOfTheTolerance() {
            assertEquals(new Verified(0), verifierAt(VECTOR_TIMESTAMP + 300)
                    .verifyStandard(VECTOR_ID, TS, VECTOR_SIGNATURE, VECTOR_BODY, SECRETS));
            assertEquals(new Verified(0), verifierAt(VECTOR_TIMESTAMP - 300)
                    .verifyStandard(VECTOR_ID, TS, VECTOR_SIGNATURE, VECTOR_BODY, SECRETS));
        }

        @Test
        void rejectsMissingHeaders() {
            assertEquals(Reason.MISSING_HEADER,
                    rejection(VERIFIER.verifyStandard(null, TS, VECTOR_SIGNATURE, VECTOR_BODY, SECRETS)));
            assertEquals(Reason.MISSING_HEADER,
                    rejection(VERIFIER.verifyStandard(VECTOR_ID, "", VECTOR_SIGNATURE, VECTOR_BODY, SECRETS)));
            assertEquals(Reason.MISSING_HEADER, rejection(VERIFIER.verifyStandard(
                    Map.of("webhook-id", VECTOR_ID, "webhook-timestamp", TS), VECTOR_BODY, SECRETS)));
        }

        @Test
        void rejectsAMalformedTimestamp() {
            assertEquals(Reason.MALFORMED_HEADER, rejection(
                    VERIFIER.verifyStandard(VECTOR_ID, "1614265330.5", VECTOR_SIGNATURE, VECTOR_BODY, SECRETS)));
            assertEquals(Reason.MALFORMED_HEADER, rejection(
                    VERIFIER.verifyStandard(VECTOR_ID, "-1", VECTOR_SIGNATURE, VECTOR_BODY, SECRETS)));
        }

        @Test
        void rejectsMalformedEntries() {
            String noComma = "v1" + VECTOR_SIGNATURE.substring(3);
            String notBase64 = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=!";
            String wrongLength = "v1,c2hvcnQ=";

            for (String signature : List.of(noComma, notBase64, wrongLength, ",", noComma + " " + wrongLength)) {
                assertEquals(Reason.MALFORMED_HEADER, rejection(
                        VERIFIER.verifyStandard(VECTOR_ID, TS, signature, VECTOR_BODY, SECRETS)), signature);
            }
        }

        @Test
        void rejectsACorrectSignatureUnderAnotherVersion() {
            String v2 = "v2," + VECTOR_SIGNATURE.substring(3);

            assertEquals(Reason.UNSUPPORTED_VERSION,
                    rejection(VERIFIER.verifyStandard(VECTOR_ID, TS, v2, VECTOR_BODY, SECRETS)));
        }

        @Test
        void acceptsThePreviousSecretDuringARotation() {
            List<WebhookSecret> rotating = List.of(WebhookSecret.generate(), VECTOR_SECRET);

            assertEquals(new Verified(1),
                    VERIFIER.verifyStandard(VECTOR_ID, TS, VECTOR_SIGNATURE, VECTOR_BODY, rotating));
        }

        @Test
        void acceptsWhenOneOfSeveralEntriesIsValid() {
            String other = RequestSigner.standardSignature(WebhookSecret.generate(), VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_BODY);
            String header = other + " v2,abc  v1nocomma " + VECTOR_SIGNATURE;

            assertEquals(new Verified(0), VERIFIER.verifyStandard(VECTOR_ID, TS, header, VECTOR_BODY, SECRETS));
        }

        @Test
        void verifiesWhatRequestSignerProduces() {
            WebhookSecret current = WebhookSecret.generate();
            Instant now = Instant.parse("2030-01-01T00:00:00Z");
            Map<String, String> headers = RequestSigner.signatureHeaders(
                    "msg_42", now, VECTOR_BODY, List.of(current, VECTOR_SECRET));
            SignatureVerifier verifier = new SignatureVerifier(Clock.fixed(now, ZoneOffset.UTC));

            assertEquals(new Verified(0), verifier.verifyStandard(headers, VECTOR_BODY, List.of(current)));
            assertEquals(new Verified(0), verifier.verifyStandard(headers, VECTOR_BODY, List.of(VECTOR_SECRET)));
            assertEquals(new Verified(0), SignatureVerifier.verifyHex(
                    headers.get("X-Cronhook-Signature"), VECTOR_BODY, List.of(current)));
        }
    }

    @Nested
    class HexSignature {

        private final String valid = RequestSigner.cronlySignature(VECTOR_SECRET, VECTOR_BODY);

        @Test
        void acceptsAValidSignature() {
            assertEquals(new Verified(0), SignatureVerifier.verifyHex(valid, VECTOR_BODY, SECRETS));
        }

        @Test
        void acceptsUppercaseHex() {
            String upper = "sha256=" + valid.substring(7).toUpperCase();

            assertEquals(new Verified(0), SignatureVerifier.verifyHex(upper, VECTOR_BODY, SECRETS));
        }

        @Test
        void acceptsThePreviousSecretDuringARotation() {
            assertEquals(new Verified(1), SignatureVerifier.verifyHex(
                    valid, VECTOR_BODY, List.of(WebhookSecret.generate(), VECTOR_SECRET)));
        }

        @Test
        void rejectsTheWrongSecret() {
            assertEquals(Reason.NO_MATCHING_SIGNATURE, rejection(
                    SignatureVerifier.verifyHex(valid, VECTOR_BODY, List.of(WebhookSecret.generate()))));
        }

        @Test
        void rejectsATamperedBody() {
            assertEquals(Reason.NO_MATCHING_SIGNATURE,
                    rejection(SignatureVerifier.verifyHex(valid, "{}".getBytes(UTF_8), SECRETS)));
        }

        @Test
        void rejectsAMissingHeader() {
            assertEquals(Reason.MISSING_HEADER, rejection(SignatureVerifier.verifyHex(null, VECTOR_BODY, SECRETS)));
        }

        @Test
        void rejectsMalformedHeaders() {
            for (String header : List.of(valid.substring(7), "sha1=" + valid.substring(7),
                    "sha256=" + valid.substring(8), "sha256=zz" + valid.substring(9))) {
                assertEquals(Reason.MALFORMED_HEADER,
                        rejection(SignatureVerifier.verifyHex(header, VECTOR_BODY, SECRETS)), header);
            }
        }
    }
}
