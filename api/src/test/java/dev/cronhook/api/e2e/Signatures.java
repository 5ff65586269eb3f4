package dev.cronhook.api.e2e;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The two signature schemes of PRODUCT.md section 5, computed here with javax.crypto only, independently of the
 * server's code, the way a receiver would.
 */
final class Signatures {
    private Signatures() {
    }

    /** {@code sha256=<hex>}: HMAC-SHA256 of the raw body keyed with the UTF-8 bytes of the whole secret string. */
    static String cronhook(String secret, byte[] body) {
        return "sha256=" + HexFormat.of().formatHex(hmac(secret.getBytes(StandardCharsets.UTF_8), body));
    }

    /** Standard Webhooks {@code v1,<base64>}: key = base64 after "whsec_", message = "{id}.{timestamp}.{body}". */
    static String standard(String secret, String id, String timestamp, byte[] body) {
        if (!secret.startsWith("whsec_")) {
            throw new AssertionError("a signing secret starts with whsec_: " + secret);
        }
        byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        byte[] prefix = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
        byte[] message = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, message, 0, prefix.length);
        System.arraycopy(body, 0, message, prefix.length, body.length);
        return "v1," + Base64.getEncoder().encodeToString(hmac(key, message));
    }

    private static byte[] hmac(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
