package dev.cronhook.delivery.signing;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 over a sequence of byte chunks, without concatenating them first. */
public final class Hmac {

    private static final String ALGORITHM = "HmacSHA256";
    /**
     * Never initialised, only cloned: a fresh Mac per call (Mac is not thread-safe, and thread-local caching is a
     * poor fit for the virtual threads that call us), without looking the provider up every time (a few percent of
     * the CPU of sending thousands of requests a second).
     */
    private static final Mac PROTOTYPE = newMac();

    private Hmac() {}

    public static byte[] sha256(byte[] key, byte[]... chunks) {
        try {
            Mac mac = fresh();
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

    private static Mac fresh() throws GeneralSecurityException {
        if (PROTOTYPE != null) {
            try {
                return (Mac) PROTOTYPE.clone();
            } catch (CloneNotSupportedException e) {
                // a provider whose Mac cannot be cloned: look it up every time
            }
        }
        return Mac.getInstance(ALGORITHM);
    }

    private static Mac newMac() {
        try {
            return Mac.getInstance(ALGORITHM);
        } catch (GeneralSecurityException e) {
            return null;
        }
    }
}
