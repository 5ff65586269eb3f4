package dev.cronhook.incident.intake;

import static dev.cronhook.incident.intake.ParserTesting.bodyJson;
import static dev.cronhook.incident.intake.ParserTesting.ignore;
import static dev.cronhook.incident.intake.ParserTesting.parse;
import static dev.cronhook.incident.intake.ParserTesting.refusedNaming;
import static dev.cronhook.incident.intake.ParserTesting.resolve;
import static dev.cronhook.incident.intake.ParserTesting.trigger;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cronhook.incident.incidents.ParsedEvent;
import dev.cronhook.incident.integrations.IntegrationType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Healthchecks.io webhooks with $JSON (the check as its API shows it) as the body and Check-Status: $STATUS. */
class HealthchecksParserTest {
    private static final IntegrationType TYPE = IntegrationType.HEALTHCHECKS;
    private static final String CHECK = """
            {"name": "Nightly backup", "slug": "nightly-backup", "tags": "prod db", "desc": "pg_dump to S3",
             "grace": 900, "n_pings": 1021, "status": "%s", "started": false,
             "last_ping": "2026-11-22T02:00:41+00:00", "next_ping": null, "manual_resume": false,
             "methods": "", "subject": "", "subject_fail": "", "start_kw": "", "success_kw": "", "failure_kw": "",
             "filter_subject": false, "filter_body": false,
             "badge_url": "https://healthchecks.io/b/2/0f4f2a5e-8e0b-4b54-9b2e-3b3e1b1e8a11.svg",
             "uuid": "0f4f2a5e-8e0b-4b54-9b2e-3b3e1b1e8a11",
             "ping_url": "https://hc-ping.com/0f4f2a5e-8e0b-4b54-9b2e-3b3e1b1e8a11",
             "update_url": "https://healthchecks.io/api/v3/checks/0f4f2a5e-8e0b-4b54-9b2e-3b3e1b1e8a11",
             "pause_url": "https://healthchecks.io/api/v3/checks/0f4f2a5e-8e0b-4b54-9b2e-3b3e1b1e8a11/pause",
             "resume_url": "https://healthchecks.io/api/v3/checks/0f4f2a5e-8e0b-4b54-9b2e-3b3e1b1e8a11/resume",
             "channels": "4ec5a071-2d08-4baa-898a-eb4eb3cd6941", "schedule": "0 2 * * *", "tz": "UTC"}
            """;

    @Test
    void aDownHeaderTriggersKeyedByTheChecksUuid() {
        ParsedEvent.Trigger trigger = trigger(parse(TYPE, CHECK.formatted("down"), Map.of("Check-Status", "down")));

        assertEquals("0f4f2a5e-8e0b-4b54-9b2e-3b3e1b1e8a11", trigger.key());
        assertTrue(trigger.title().contains("Nightly backup"), trigger.title());
        assertEquals("pg_dump to S3", bodyJson(trigger).path("desc").asText());
        assertEquals("0 2 * * *", bodyJson(trigger).path("schedule").asText());
    }

    @Test
    void anUpHeaderResolves() {
        ParsedEvent.Resolve resolve = resolve(parse(TYPE, CHECK.formatted("up"), Map.of("check-status", "up")));

        assertEquals("0f4f2a5e-8e0b-4b54-9b2e-3b3e1b1e8a11", resolve.key());
    }

    @Test
    void theHeaderWinsOverTheBodysStatus() {
        resolve(parse(TYPE, CHECK.formatted("down"), Map.of("Check-Status", "up")));
    }

    @Test
    void withoutTheHeaderTheBodysStatusDecides() {
        trigger(parse(TYPE, CHECK.formatted("down")));
        resolve(parse(TYPE, CHECK.formatted("up")));
        ignore(parse(TYPE, CHECK.formatted("grace")));
    }

    @Test
    void withoutAUuidTheCheckIdThenTheNameIsTheKey() {
        assertEquals("c-42", trigger(parse(TYPE, "{\"check_id\": \"c-42\", \"name\": \"backup\"}",
                Map.of("Check-Status", "down"))).key());
        assertEquals("backup", trigger(parse(TYPE, "{\"name\": \"backup\"}", Map.of("Check-Status", "down"))).key());
    }

    @Test
    void missingFieldsAreNamed() {
        refusedNaming("status", TYPE, "{\"uuid\": \"u1\"}");
        refusedNaming("uuid", TYPE, "{\"status\": \"down\"}");
    }
}
