package dev.cronhook.delivery.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CappedBodyTest {

    @Test
    void aShortAnnouncedBodyIsReadWithReadsNoLargerThanItself() throws IOException {
        AskingStream in = new AskingStream("ok".getBytes(StandardCharsets.US_ASCII), 8192);
        CappedBody body = CappedBody.read(in, 65536, 4096, 2);
        assertArrayEquals("ok".getBytes(StandardCharsets.US_ASCII), body.stored());
        assertEquals(2, body.bytesRead());
        assertFalse(body.truncated());
        // The client allocates what a read asks for: two bytes, then one to see the end.
        assertEquals(List.of(2, 1), in.asked);
    }

    @Test
    void aBodyOfUnknownLengthIsKeptUpToTheStoreLimitAndReadUpToTheReadLimit() throws IOException {
        byte[] content = new byte[100_000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) i;
        }
        AskingStream in = new AskingStream(content, 1000);
        CappedBody body = CappedBody.read(in, 65536, 4096, -1);
        assertEquals(4096, body.stored().length);
        assertArrayEquals(java.util.Arrays.copyOf(content, 4096), body.stored());
        assertEquals(65536, body.bytesRead());
        assertTrue(body.truncated());
        assertTrue(in.asked.stream().allMatch(n -> n <= CappedBody.MAX_CHUNK), in.asked.toString());
        assertEquals(CappedBody.FIRST_CHUNK, in.asked.getFirst());
    }

    @Test
    void aBodyLongerThanTheStoreLimitButShorterThanTheReadLimitEndsUntruncated() throws IOException {
        byte[] content = "x".repeat(10_000).getBytes(StandardCharsets.US_ASCII);
        CappedBody body = CappedBody.read(new AskingStream(content, 3000), 65536, 4096, content.length);
        assertEquals(4096, body.stored().length);
        assertEquals(10_000, body.bytesRead());
        assertFalse(body.truncated());
    }

    @Test
    void anEmptyBodyIsEmpty() throws IOException {
        CappedBody unknown = CappedBody.read(new AskingStream(new byte[0], 10), 65536, 4096, -1);
        CappedBody announced = CappedBody.read(new AskingStream(new byte[0], 10), 65536, 4096, 0);
        assertEquals(0, unknown.stored().length);
        assertEquals(0, announced.stored().length);
        assertFalse(announced.truncated());
    }

    /** Hands out at most {@code perRead} bytes a read and records how much each read asked for. */
    private static final class AskingStream extends ByteArrayInputStream {
        final List<Integer> asked = new ArrayList<>();
        private final int perRead;

        AskingStream(byte[] content, int perRead) {
            super(content);
            this.perRead = perRead;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            asked.add(len);
            return super.read(b, off, Math.min(len, perRead));
        }
    }
}
