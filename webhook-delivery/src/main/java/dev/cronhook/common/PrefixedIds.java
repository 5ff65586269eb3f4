package dev.cronhook.common;

import java.security.SecureRandom;
import java.time.Clock;

/**
 * Identifiers such as {@code job_01jd3k…}: a type prefix, then 26 lowercase Crockford base32 characters
 * holding 48 bits of milliseconds and 80 random bits (the ULID layout). Ids made later sort later, so
 * lists ordered by id are in creation order and a cursor is simply the last id seen.
 */
public final class PrefixedIds {
    private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Clock clock;

    public PrefixedIds(Clock clock) {
        this.clock = clock;
    }

    public String next(String prefix) {
        long millis = clock.millis();
        byte[] random = new byte[10];
        RANDOM.nextBytes(random);
        char[] out = new char[26];
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (millis & 31)];
            millis >>>= 5;
        }
        // 80 random bits → 16 characters of 5 bits each.
        long high = 0;
        for (int i = 0; i < 5; i++) {
            high = (high << 8) | (random[i] & 0xff);
        }
        long low = 0;
        for (int i = 5; i < 10; i++) {
            low = (low << 8) | (random[i] & 0xff);
        }
        for (int i = 17; i >= 10; i--) {
            out[i] = ALPHABET[(int) (high & 31)];
            high >>>= 5;
        }
        for (int i = 25; i >= 18; i--) {
            out[i] = ALPHABET[(int) (low & 31)];
            low >>>= 5;
        }
        return prefix + "_" + new String(out);
    }

    /**
     * The smallest id of {@code prefix} made at {@code instant}: every id made before it sorts below, every id made at
     * or after it sorts at or above. Lets a sweep walk the primary key by age.
     */
    public static String firstAt(String prefix, java.time.Instant instant) {
        long millis = instant.toEpochMilli();
        char[] out = new char[26];
        java.util.Arrays.fill(out, '0');
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (millis & 31)];
            millis >>>= 5;
        }
        return prefix + "_" + new String(out);
    }

    /** True when {@code id} has the given prefix and the shape this class makes; cheap guard before a lookup. */
    public static boolean looksLike(String prefix, String id) {
        if (id == null || id.length() != prefix.length() + 27 || !id.startsWith(prefix + "_")) {
            return false;
        }
        for (int i = prefix.length() + 1; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'))) {
                return false;
            }
        }
        return true;
    }
}
