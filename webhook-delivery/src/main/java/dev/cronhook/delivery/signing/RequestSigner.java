package dev.cronhook.delivery.signing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * Signs one delivery attempt with both schemes Cronhook emits.
 *
 * <ul>
 *   <li>{@code X-Cronhook-Signature: sha256=<hex>}: HMAC-SHA256 of the raw body, keyed with the
 *       UTF-8 bytes of the whole secret string (the Cronly / GitHub style most receivers already
 *       know how to check).
 *   <li>{@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature: v1,<base64>}: the
 *       Standard Webhooks scheme, which binds the id and timestamp into the signature so that
 *       receivers can reject replays.
 * </ul>
 */
public final class RequestSigner {

    public static final String CRONHOOK_SIGNATURE = "X-Cronhook-Signature";
    public static final String WEBHOOK_ID = "webhook-id";
    public static final String WEBHOOK_TIMESTAMP = "webhook-timestamp";
    public static final String WEBHOOK_SIGNATURE = "webhook-signature";

    private static final byte[] NO_BODY = new byte[0];

    private RequestSigner() {}

    /**
     * Headers to add to one attempt. {@code secrets} holds the current secret first, then any
     * secrets still valid during a rotation: the hex signature uses only the current one (its
     * format has no room for more), the Standard Webhooks header carries one entry per secret so
     * receivers still on an old secret keep verifying.
     *
     * @param attemptTime when this attempt is made; each retry is signed afresh, so receivers
     *     enforcing a timestamp tolerance accept late retries
     */
    public static Map<String, String> signatureHeaders(
            String messageId, Instant attemptTime, byte[] body, List<WebhookSecret> secrets) {
        requireMessageId(messageId);
        Objects.requireNonNull(attemptTime, "attemptTime");
        if (secrets == null || secrets.isEmpty()) {
            throw new IllegalArgumentException("at least one secret is required");
        }
        long timestamp = attemptTime.getEpochSecond();

        StringJoiner standard = new StringJoiner(" ");
        for (WebhookSecret secret : secrets) {
            standard.add(standardSignature(secret, messageId, timestamp, body));
        }

        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(CRONHOOK_SIGNATURE, cronlySignature(secrets.getFirst(), body));
        headers.put(WEBHOOK_ID, messageId);
        headers.put(WEBHOOK_TIMESTAMP, Long.toString(timestamp));
        headers.put(WEBHOOK_SIGNATURE, standard.toString());
        return Collections.unmodifiableMap(headers);
    }

    /** {@code sha256=<lowercase hex>} of the raw body, keyed with the whole secret string. */
    public static String cronlySignature(WebhookSecret secret, byte[] body) {
        byte[] mac = Hmac.sha256(secret.value().getBytes(UTF_8), orEmpty(body));
        return "sha256=" + HexFormat.of().formatHex(mac);
    }

    /** {@code v1,<base64>} of {@code "{id}.{timestamp}.{body}"}, keyed with the decoded secret. */
    public static String standardSignature(
            WebhookSecret secret, String messageId, long timestampSeconds, byte[] body) {
        requireMessageId(messageId);
        byte[] mac = standardMac(secret.keyBytes(), messageId, timestampSeconds, body);
        return "v1," + Base64.getEncoder().encodeToString(mac);
    }

    static byte[] standardMac(byte[] key, String messageId, long timestampSeconds, byte[] body) {
        // The body is appended as raw bytes: decoding it to a String first would alter any body
        // that is not valid UTF-8 and break the signature.
        byte[] prefix = (messageId + "." + timestampSeconds + ".").getBytes(UTF_8);
        return Hmac.sha256(key, prefix, orEmpty(body));
    }

    private static void requireMessageId(String messageId) {
        if (messageId == null || messageId.isBlank()) {
            throw new IllegalArgumentException("messageId must not be blank");
        }
        // It travels as a header value; CR/LF would split the header.
        if (messageId.indexOf('\r') >= 0 || messageId.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("messageId must not contain line breaks");
        }
    }

    private static byte[] orEmpty(byte[] body) {
        return body == null ? NO_BODY : body;
    }
}
