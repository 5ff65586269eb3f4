package dev.cronhook.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The start of a response body: reads at most {@code readLimit} bytes and keeps the first
 * {@code storeLimit} of them. Stopping at the read limit leaves the rest unread, which makes the
 * client drop the connection instead of draining an arbitrarily large (or endless) body.
 */
record CappedBody(byte[] stored, long bytesRead, boolean truncated) {

    static CappedBody read(InputStream in, int readLimit, int storeLimit) throws IOException {
        if (storeLimit > readLimit) {
            throw new IllegalArgumentException("storeLimit exceeds readLimit");
        }
        byte[] stored = new byte[storeLimit];
        int storedLength = 0;
        byte[] buffer = new byte[8192];
        long bytesRead = 0;
        while (bytesRead < readLimit) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, readLimit - bytesRead));
            if (n < 0) {
                return new CappedBody(Arrays.copyOf(stored, storedLength), bytesRead, false);
            }
            int keep = Math.min(n, storeLimit - storedLength);
            System.arraycopy(buffer, 0, stored, storedLength, keep);
            storedLength += keep;
            bytesRead += n;
        }
        return new CappedBody(Arrays.copyOf(stored, storedLength), bytesRead, true);
    }
}
