package dev.cronhook.delivery.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The start of a response body: reads at most {@code readLimit} bytes and keeps the first
 * {@code storeLimit} of them. Stopping at the read limit leaves the rest unread, which makes the
 * client drop the connection instead of draining an arbitrarily large (or endless) body.
 */
record CappedBody(byte[] stored, long bytesRead, boolean truncated) {

    /** The most asked of the stream in one read. */
    static final int MAX_CHUNK = 8192;
    /** The first read of a body of unknown length; later reads ask for twice as much, up to {@link #MAX_CHUNK}. */
    static final int FIRST_CHUNK = 512;

    /**
     * @param expectedLength the length the response announced (Content-Length), or -1 when it did not; reads ask
     *     for that much, as the HTTP client allocates a buffer of the size asked for on every read, and most
     *     answers to a webhook are a few bytes
     */
    static CappedBody read(InputStream in, int readLimit, int storeLimit, long expectedLength) throws IOException {
        if (storeLimit > readLimit) {
            throw new IllegalArgumentException("storeLimit exceeds readLimit");
        }
        int ask = expectedLength < 0 ? FIRST_CHUNK : (int) Math.clamp(expectedLength, 1, MAX_CHUNK);
        byte[] stored = new byte[Math.min(storeLimit, ask)];
        int storedLength = 0;
        byte[] discard = null;
        long bytesRead = 0;
        while (bytesRead < readLimit) {
            if (bytesRead == expectedLength) {
                ask = 1; // all that was announced came: only the end is left to see
            }
            int want = (int) Math.min(ask, readLimit - bytesRead);
            int n;
            if (storedLength < storeLimit) {
                if (storedLength == stored.length) {
                    stored = Arrays.copyOf(stored, Math.min(storeLimit, Math.max(stored.length * 2, want)));
                }
                n = in.read(stored, storedLength, Math.min(want, stored.length - storedLength));
                storedLength += Math.max(n, 0);
            } else {
                discard = discard == null ? new byte[MAX_CHUNK] : discard;
                n = in.read(discard, 0, Math.min(want, discard.length));
            }
            if (n < 0) {
                return new CappedBody(trim(stored, storedLength), bytesRead, false);
            }
            bytesRead += n;
            ask = Math.min(ask * 2, MAX_CHUNK);
        }
        return new CappedBody(trim(stored, storedLength), bytesRead, true);
    }

    private static byte[] trim(byte[] stored, int length) {
        return stored.length == length ? stored : Arrays.copyOf(stored, length);
    }
}
