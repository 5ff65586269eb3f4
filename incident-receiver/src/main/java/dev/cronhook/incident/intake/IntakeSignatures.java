package dev.cronhook.incident.intake;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.cronhook.common.DomainException;
import dev.cronhook.delivery.signing.Hmac;
import dev.cronhook.delivery.signing.SignatureVerifier;
import dev.cronhook.delivery.signing.VerificationResult;
import dev.cronhook.delivery.signing.WebhookSecret;
import dev.cronhook.incident.integrations.IntegrationType;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Checks the signature of an event for integrations that have a signing secret: Standard Webhooks (±5 min) for
 * {@code cronhook}, {@code X-Hub-Signature: sha256=<hex>} for {@code crontogo}. All comparisons are constant-time.
 */
public final class IntakeSignatures {
    static final String HUB_SIGNATURE = "X-Hub-Signature";
    private static final int SHA256_BYTES = 32;

    private final SignatureVerifier verifier;

    public IntakeSignatures(Clock clock) {
        this.verifier = new SignatureVerifier(clock);
    }

    /** Throws {@link DomainException.BadSignature} unless the event is signed with {@code secret}. */
    public void check(IntegrationType type, String secret, IncomingHeaders headers, byte[] body) {
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
        byte[] expected = Hmac.sha256(secret.getBytes(UTF_8), body);
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
}
