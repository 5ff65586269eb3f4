package dev.cronhook.delivery.signing;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

/**
 * A signing secret in the Standard Webhooks form {@code whsec_<base64>}.
 *
 * <p>The same string serves both signature schemes: Standard Webhooks keys the HMAC with the
 * decoded bytes after the prefix, the Cronly-style hex signature keys it with the whole string.
 */
public record WebhookSecret(String value) {

    public static final String PREFIX = "whsec_";

    private static final int GENERATED_KEY_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    public WebhookSecret {
        Objects.requireNonNull(value, "value");
        if (!value.startsWith(PREFIX)) {
            throw new IllegalArgumentException(
                    "webhook secret must start with \"" + PREFIX + "\"");
        }
        // Messages here must not echo the value: exceptions end up in logs and API error bodies.
        if (decode(value).length == 0) {
            throw new IllegalArgumentException(
                    "webhook secret has no key after \"" + PREFIX + "\"");
        }
    }

    public static WebhookSecret generate() {
        byte[] key = new byte[GENERATED_KEY_BYTES];
        RANDOM.nextBytes(key);
        return new WebhookSecret(PREFIX + Base64.getEncoder().encodeToString(key));
    }

    /** The Standard Webhooks HMAC key: the base64-decoded part after {@code whsec_}. */
    public byte[] keyBytes() {
        return decode(value);
    }

    private static byte[] decode(String value) {
        try {
            return Base64.getDecoder().decode(value.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "webhook secret is not valid base64 after \"" + PREFIX + "\"");
        }
    }

    /** Redacted, so that a secret logged by accident is not disclosed. */
    @Override
    public String toString() {
        return "WebhookSecret[" + PREFIX + "***]";
    }
}
