package dev.cronhook.delivery.signing;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.cronhook.delivery.signing.VerificationResult.Reason;
import dev.cronhook.delivery.signing.VerificationResult.Rejected;
import dev.cronhook.delivery.signing.VerificationResult.Verified;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Checks signatures on inbound webhooks, in both schemes {@link RequestSigner} produces.
 *
 * <p>All comparisons are constant-time ({@link MessageDigest#isEqual}) on the decoded bytes, so
 * response timing reveals nothing about how much of a forged signature was right.
 */
public final class SignatureVerifier {

    /** The tolerance the Standard Webhooks reference libraries use. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private static final Pattern TIMESTAMP = Pattern.compile("[0-9]{1,15}");
    private static final int SHA256_BYTES = 32;
    private static final String HEX_PREFIX = "sha256=";

    private final Clock clock;
    private final long toleranceSeconds;

    public SignatureVerifier(Clock clock) {
        this(clock, DEFAULT_TOLERANCE);
    }

    public SignatureVerifier(Clock clock, Duration tolerance) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (tolerance.isNegative()) {
            throw new IllegalArgumentException("tolerance must not be negative");
        }
        this.toleranceSeconds = tolerance.toSeconds();
    }

    /**
     * Standard Webhooks verification, reading {@code webhook-id}, {@code webhook-timestamp} and
     * {@code webhook-signature} from {@code headers} with case-insensitive names.
     */
    public VerificationResult verifyStandard(
            Map<String, String> headers, byte[] body, List<WebhookSecret> secrets) {
        return verifyStandard(
                header(headers, RequestSigner.WEBHOOK_ID),
                header(headers, RequestSigner.WEBHOOK_TIMESTAMP),
                header(headers, RequestSigner.WEBHOOK_SIGNATURE),
                body,
                secrets);
    }

    /**
     * Standard Webhooks verification from the three header values (null when absent).
     *
     * <p>The signature header may hold several space-separated entries (one per secret during a
     * sender's rotation), and several secrets may be given (during our own rotation): any v1
     * entry matching any secret verifies. Entries of other versions, and malformed entries, never
     * match; they only decide the reason when nothing matches.
     */
    public VerificationResult verifyStandard(
            String messageId, String timestamp, String signature, byte[] body,
            List<WebhookSecret> secrets) {
        requireSecrets(secrets);
        if (isBlank(messageId)) {
            return missing(RequestSigner.WEBHOOK_ID);
        }
        if (isBlank(timestamp)) {
            return missing(RequestSigner.WEBHOOK_TIMESTAMP);
        }
        if (isBlank(signature)) {
            return missing(RequestSigner.WEBHOOK_SIGNATURE);
        }

        String trimmedTimestamp = timestamp.strip();
        if (!TIMESTAMP.matcher(trimmedTimestamp).matches()) {
            return new Rejected(Reason.MALFORMED_HEADER,
                    RequestSigner.WEBHOOK_TIMESTAMP + " is not a count of seconds since the epoch");
        }
        long signedAt = Long.parseLong(trimmedTimestamp);
        long now = clock.instant().getEpochSecond();
        // Checked before the signature so a replayed old request is refused whatever it carries.
        if (signedAt < now - toleranceSeconds) {
            return new Rejected(Reason.TIMESTAMP_TOO_OLD, "timestamp is " + (now - signedAt)
                    + "s in the past, more than the " + toleranceSeconds + "s tolerance");
        }
        if (signedAt > now + toleranceSeconds) {
            return new Rejected(Reason.TIMESTAMP_TOO_NEW, "timestamp is " + (signedAt - now)
                    + "s in the future, more than the " + toleranceSeconds + "s tolerance");
        }

        List<byte[]> candidates = new ArrayList<>();
        int otherVersions = 0;
        for (String entry : signature.strip().split(" +")) {
            int comma = entry.indexOf(',');
            if (comma <= 0) {
                continue;
            }
            if (!entry.substring(0, comma).equals("v1")) {
                otherVersions++;
                continue;
            }
            byte[] decoded = decodeBase64(entry.substring(comma + 1));
            if (decoded != null && decoded.length == SHA256_BYTES) {
                candidates.add(decoded);
            }
        }
        if (candidates.isEmpty()) {
            // Details give counts only: the entries are attacker-controlled text bound for logs.
            return otherVersions > 0
                    ? new Rejected(Reason.UNSUPPORTED_VERSION, RequestSigner.WEBHOOK_SIGNATURE
                            + " has no v1 entry (" + otherVersions + " entries of other versions)")
                    : new Rejected(Reason.MALFORMED_HEADER, RequestSigner.WEBHOOK_SIGNATURE
                            + " has no well-formed \"v1,<base64>\" entry");
        }

        for (int i = 0; i < secrets.size(); i++) {
            byte[] expected = RequestSigner.standardMac(
                    secrets.get(i).keyBytes(), messageId, signedAt, body);
            if (anyEqual(expected, candidates)) {
                return new Verified(i);
            }
        }
        return noMatch(candidates.size(), secrets.size());
    }

    /**
     * Cronly / GitHub style check of {@code sha256=<hex>}: HMAC-SHA256 of the raw body keyed with
     * the whole secret string. This scheme signs no timestamp, so it cannot detect replays; prefer
     * {@link #verifyStandard} where the sender supports it.
     */
    public static VerificationResult verifyHex(
            String signatureHeader, byte[] body, List<WebhookSecret> secrets) {
        requireSecrets(secrets);
        if (isBlank(signatureHeader)) {
            return missing(RequestSigner.CRONHOOK_SIGNATURE);
        }
        String value = signatureHeader.strip();
        byte[] received = value.startsWith(HEX_PREFIX)
                ? decodeHex(value.substring(HEX_PREFIX.length()))
                : null;
        if (received == null || received.length != SHA256_BYTES) {
            return new Rejected(Reason.MALFORMED_HEADER,
                    "signature is not \"sha256=<64 hex digits>\"");
        }
        byte[] message = body == null ? new byte[0] : body;
        for (int i = 0; i < secrets.size(); i++) {
            byte[] expected = Hmac.sha256(secrets.get(i).value().getBytes(UTF_8), message);
            if (MessageDigest.isEqual(expected, received)) {
                return new Verified(i);
            }
        }
        return noMatch(1, secrets.size());
    }

    private static boolean anyEqual(byte[] expected, List<byte[]> candidates) {
        boolean matched = false;
        for (byte[] candidate : candidates) {
            // No early exit: the number of comparisons does not depend on which entry matched.
            matched |= MessageDigest.isEqual(expected, candidate);
        }
        return matched;
    }

    private static String header(Map<String, String> headers, String name) {
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (name.equalsIgnoreCase(e.getKey())) {
                return e.getValue();
            }
        }
        return null;
    }

    private static byte[] decodeBase64(String text) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] decodeHex(String text) {
        try {
            return HexFormat.of().parseHex(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Rejected missing(String header) {
        return new Rejected(Reason.MISSING_HEADER, "missing " + header + " header");
    }

    private static Rejected noMatch(int signatures, int secrets) {
        return new Rejected(Reason.NO_MATCHING_SIGNATURE, "none of " + signatures
                + " signature(s) matches any of " + secrets + " secret(s)");
    }

    private static void requireSecrets(List<WebhookSecret> secrets) {
        if (secrets == null || secrets.isEmpty()) {
            throw new IllegalArgumentException("at least one secret is required");
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
