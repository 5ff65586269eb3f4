package dev.cronhook.scheduler.runs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** What is kept of a callback's output: its first 4 KiB in UTF-8, whole characters only, and no NUL. */
class CallbackReportTest {
    private static String kept(String output) {
        return new CallbackReport(CallbackReport.Status.SUCCEEDED, output).output();
    }

    @Test
    void shortOutputIsKeptAsSent() {
        assertEquals("rows: 3\n", kept("rows: 3\n"));
        assertNull(kept(null));
        assertEquals(CallbackReport.MAX_OUTPUT_BYTES, kept("x".repeat(CallbackReport.MAX_OUTPUT_BYTES)).length());
    }

    @Test
    void longOutputIsCutAtFourKibibytesNeverInsideACharacter() {
        assertEquals("x".repeat(4096), kept("x".repeat(5000)));
        // Two bytes each: 2,048 fit.
        assertEquals("é".repeat(2048), kept("é".repeat(3000)));
        // "a" then four-byte characters: 1,023 of them fit after it (1 + 4,092 bytes), the next would cross 4,096.
        String cut = kept("a" + "😀".repeat(2000));
        assertEquals("a" + "😀".repeat(1023), cut);
        assertEquals(4093, cut.getBytes(UTF_8).length);
    }

    @Test
    void aNulIsKeptAsAReplacementCharacter() {
        assertEquals("a\uFFFDb", kept("a\u0000b"));
    }
}
