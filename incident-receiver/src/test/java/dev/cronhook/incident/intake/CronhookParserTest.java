package dev.cronhook.incident.intake;

import static dev.cronhook.incident.intake.ParserTesting.bodyJson;
import static dev.cronhook.incident.intake.ParserTesting.ignore;
import static dev.cronhook.incident.intake.ParserTesting.parse;
import static dev.cronhook.incident.intake.ParserTesting.refusedNaming;
import static dev.cronhook.incident.intake.ParserTesting.resolve;
import static dev.cronhook.incident.intake.ParserTesting.trigger;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cronhook.incident.incidents.ParsedEvent;
import dev.cronhook.incident.integrations.IntegrationType;
import org.junit.jupiter.api.Test;

/** Cronhook's own notification envelope (PRODUCT.md section 6). */
public class CronhookParserTest {
    private static final IntegrationType TYPE = IntegrationType.CRONHOOK;

    public static String failed(boolean fin) {
        return """
                {"id": "evt_01jd3k9x2m4n5p6q7r8s9t0v1w", "type": "job.execution.failed",
                 "timestamp": "2026-11-22T10:00:01Z",
                 "data": {"job": {"id": "job_01jd3k9x2m4n5p6q7r8s9t0v1w", "name": "Nightly report", "type": "once",
                                  "url": "https://reports.example.com/run", "cron": null, "timezone": null,
                                  "run_at": "2026-11-22T10:00:00Z"},
                          "execution": {"id": "exe_01jd3k9x2m4n5p6q7r8s9t0v1w", "trigger": "schedule",
                                        "scheduled_for": "2026-11-22T10:00:00Z", "attempt": 2, "max_attempts": 6,
                                        "status": "%s", "outcome": "http_error", "status_code": 503,
                                        "duration_ms": 41, "error": null, "final": %s,
                                        "next_attempt_at": %s}}}
                """.formatted(fin ? "failed" : "retry_scheduled", fin, fin ? "null" : "\"2026-11-22T10:05:01Z\"");
    }

    @Test
    void aFinalFailureTriggersKeyedByTheJobId() {
        ParsedEvent.Trigger trigger = trigger(parse(TYPE, failed(true)));

        assertEquals("job_01jd3k9x2m4n5p6q7r8s9t0v1w", trigger.key());
        assertEquals("Job \"Nightly report\" failed", trigger.title());
        assertEquals(503, bodyJson(trigger).path("execution").path("status_code").asInt());
    }

    @Test
    void aFailureThatWillBeRetriedOnlyAnnotates() {
        ParsedEvent.Annotate note = assertInstanceOf(ParsedEvent.Annotate.class, parse(TYPE, failed(false)));

        assertEquals("job_01jd3k9x2m4n5p6q7r8s9t0v1w", note.key());
        assertTrue(note.note().contains("attempt 2 of 6 failed (http_error 503)"), note.note());
        assertTrue(note.note().contains("2026-11-22T10:05:01Z"), note.note());
    }

    @Test
    void aSuccessResolvesTheJobsIncident() {
        assertEquals("job_01jd3k9x2m4n5p6q7r8s9t0v1w", resolve(parse(TYPE, """
                {"id": "evt_01jd3k9x2m4n5p6q7r8s9t0v1x", "type": "job.execution.succeeded",
                 "timestamp": "2026-11-22T10:05:02Z",
                 "data": {"job": {"id": "job_01jd3k9x2m4n5p6q7r8s9t0v1w", "name": "Nightly report"},
                          "execution": {"id": "exe_01jd3k9x2m4n5p6q7r8s9t0v1w", "attempt": 3, "status": "succeeded",
                                        "outcome": "success", "status_code": 200, "final": true}}}
                """)).key());
    }

    /** PRODUCT.md section 10: the built-in loop adds a job that paused itself to its open incident's timeline. */
    @Test
    void aJobThatPausedItselfIsANoteOnItsIncident() {
        ParsedEvent.Annotate note = assertInstanceOf(ParsedEvent.Annotate.class, parse(TYPE, """
                {"id": "evt_01jd3k9x2m4n5p6q7r8s9t0v1y", "type": "job.paused", "timestamp": "2026-11-22T10:05:02Z",
                 "data": {"job": {"id": "job_01jd3k9x2m4n5p6q7r8s9t0v1w", "name": "Nightly report", "type": "cron"},
                          "reason": "paused after 3 failed executions in a row"}}
                """));
        assertEquals("job_01jd3k9x2m4n5p6q7r8s9t0v1w", note.key());
        assertEquals("job paused: paused after 3 failed executions in a row", note.note());
        refusedNaming("data.job.id", TYPE, "{\"type\": \"job.paused\", \"data\": {\"reason\": \"x\"}}");
    }

    @Test
    void startedAndPingAreIgnored() {
        ignore(parse(TYPE, "{\"type\": \"job.execution.started\", \"data\": {\"job\": {\"id\": \"job_1\"}}}"));
        ignore(parse(TYPE, "{\"id\": \"evt_1\", \"type\": \"webhook.ping\", \"timestamp\": \"2026-11-22T10:00:00Z\", "
                + "\"data\": {}}"));
    }

    @Test
    void missingFieldsAreNamed() {
        refusedNaming("type", TYPE, "{\"data\": {}}");
        refusedNaming("data.job.id", TYPE, "{\"type\": \"job.execution.failed\", \"data\": {\"execution\": "
                + "{\"final\": true}}}");
        refusedNaming("data.execution.final", TYPE, "{\"type\": \"job.execution.failed\", \"data\": {\"job\": "
                + "{\"id\": \"job_1\"}, \"execution\": {}}}");
        refusedNaming("data.job.id", TYPE, "{\"type\": \"job.execution.succeeded\", \"data\": {}}");
    }
}
