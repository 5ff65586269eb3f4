package dev.cronhook.incident;

import dev.cronhook.common.DomainException;
import dev.cronhook.delivery.SignatureVerifier;
import dev.cronhook.delivery.VerificationResult;
import dev.cronhook.delivery.WebhookSecret;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Checks the signature of an event for integrations that have a signing secret: Standard Webhooks (±5 min) for
 * {@code cronhook}, {@code X-Hub-Signature: sha256=<hex>} for {@code crontogo}. All comparisons are constant-time.
 */
final class IntakeSignatures {
    static final String HUB_SIGNATURE = "X-Hub-Signature";
    private static final int SHA256_BYTES = 32;

    private final SignatureVerifier verifier;

    IntakeSignatures(Clock clock) {
        this.verifier = new SignatureVerifier(clock);
    }

    /** Throws {@link DomainException.BadSignature} unless the event is signed with {@code secret}. */
    void check(IntegrationType type, String secret, IncomingHeaders headers, byte[] body) {
        switch (type) {
            case CRONHOOK -> {
                VerificationResult result = verifier.verifyStandard(headers.asMap(), body,
                        List.of(new WebhookSecret(secret)));
                if (result instanceof VerificationResult.Rejected rejected) {
                    throw new DomainException.BadSignature("the webhook signature is not valid: " + rejected.detail());
                }
            }
            case CRONTOGO -> checkHub(secret, headers.get(HUB_SIGNATURE), body);
            default -> {
                // Other tools sign nothing; a secret cannot be set on them.
            }
        }
    }

    static void checkHub(String secret, String header, byte[] body) {
        if (header == null || header.isBlank()) {
            throw new DomainException.BadSignature("missing " + HUB_SIGNATURE + " header");
        }
        byte[] received = decode(header.strip());
        byte[] expected = hmac(secret.getBytes(UTF_8), body);
        // isEqual takes the same time whatever the content; a malformed header compares against zeros.
        boolean valid = MessageDigest.isEqual(expected, received == null ? new byte[SHA256_BYTES] : received);
        if (!valid || received == null) {
            throw new DomainException.BadSignature("the " + HUB_SIGNATURE + " signature does not match");
        }
    }

    /** {@code sha256=<hex>} as documented; bare hex or base64 digests are accepted too. */
    private static byte[] decode(String value) {
        String digest = value.regionMatches(true, 0, "sha256=", 0, 7) ? value.substring(7) : value;
        try {
            byte[] bytes = digest.length() == SHA256_BYTES * 2 ? HexFormat.of().parseHex(digest)
                    : Base64.getDecoder().decode(digest);
            return bytes.length == SHA256_BYTES ? bytes : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static byte[] hmac(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
