package dev.cronhook.delivery;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 over a sequence of byte chunks, without concatenating them first. */
final class Hmac {

    private static final String ALGORITHM = "HmacSHA256";

    private Hmac() {}

    static byte[] sha256(byte[] key, byte[]... chunks) {
        try {
            // A fresh Mac per call: Mac is not thread-safe, and thread-local caching is a poor fit
            // for the virtual threads that call us.
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            for (byte[] chunk : chunks) {
                mac.update(chunk);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            // Every JDK must provide HmacSHA256, and keys are never empty (WebhookSecret checks).
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
