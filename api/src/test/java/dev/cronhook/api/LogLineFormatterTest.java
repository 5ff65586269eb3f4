package dev.cronhook.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class LogLineFormatterTest {
    private final LogLineFormatter formatter = new LogLineFormatter();

    private static LogRecord record(Level level, String message, Instant at, Object... params) {
        LogRecord record = new LogRecord(level, message);
        record.setLoggerName("dev.cronhook.scheduler.runs.AttemptRunner");
        record.setInstant(at);
        record.setParameters(params.length == 0 ? null : params);
        return record;
    }

    @Test
    void oneLineWithTheTimeToTheMillisecondTheLevelTheLoggerAndTheMessage() {
        String line = formatter.format(record(Level.INFO, "attempt job=job_1 outcome=success",
                Instant.parse("2026-12-04T18:39:09.007Z")));

        assertEquals("2026-12-04T18:39:09.007Z INFO dev.cronhook.scheduler.runs.AttemptRunner - attempt job=job_1 "
                + "outcome=success" + System.lineSeparator(), line);
    }

    @Test
    void aWholeMinuteKeepsItsSecondsAndParametersAreFilledIn() {
        String line = formatter.format(record(Level.WARNING, "tick failed: {0}", Instant.parse("2026-12-04T18:40:00Z"),
                "database away"));

        assertEquals("2026-12-04T18:40:00.000Z WARNING dev.cronhook.scheduler.runs.AttemptRunner - tick failed: "
                + "database away" + System.lineSeparator(), line);
    }

    @Test
    void aThrowableFollowsItsLine() {
        LogRecord record = record(Level.SEVERE, "failed", Instant.parse("2026-12-04T18:40:01.123Z"));
        record.setThrown(new IllegalStateException("boom"));

        String text = formatter.format(record);

        assertTrue(text.startsWith("2026-12-04T18:40:01.123Z SEVERE dev.cronhook.scheduler.runs.AttemptRunner - failed"
                + System.lineSeparator() + "java.lang.IllegalStateException: boom"), text);
        assertTrue(text.endsWith(System.lineSeparator()));
    }
}
