package dev.cronhook.incident.intake;

import static dev.cronhook.incident.intake.ParserTesting.bodyJson;
import static dev.cronhook.incident.intake.ParserTesting.ignore;
import static dev.cronhook.incident.intake.ParserTesting.parse;
import static dev.cronhook.incident.intake.ParserTesting.refusedNaming;
import static dev.cronhook.incident.intake.ParserTesting.resolve;
import static dev.cronhook.incident.intake.ParserTesting.trigger;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cronhook.incident.incidents.ParsedEvent;
import dev.cronhook.incident.integrations.IntegrationType;
import org.junit.jupiter.api.Test;

/** Cronicle web hooks, as its documentation shows the job object. */
class CronicleParserTest {
    private static final IntegrationType TYPE = IntegrationType.CRONICLE;

    /** The documented job_complete record, with {@code complete} and {@code code} set per test. */
    private static String jobComplete(int code) {
        return """
                {"action": "job_complete", "base_app_url": "http://localhost:3012", "category": "general",
                 "category_title": "General", "code": %d, "complete": 1,
                 "cpu": {"min": 23.4, "max": 23.4, "total": 23.4, "count": 1, "current": 23.4},
                 "description": "%s", "edit_event_url": "http://localhost:3012/#Schedule?sub=edit_event&id=3c182051",
                 "elapsed": 90.414, "event": "3c182051", "event_title": "Test Event 2", "hostname": "joeretina.local",
                 "id": "jihuyalli01", "job_details_url": "http://localhost:3012/#JobDetails?id=jihuyalli01",
                 "log_file_size": 25119, "mem": {"min": 190459904, "max": 190459904},
                 "nice_target": "joeretina.local", "params": {"db_host": "idb01.mycompany.com", "verbose": 1},
                 "perf": "scale=1&total=90.103&db_query=0.237", "pid": 72589, "plugin": "test",
                 "plugin_title": "Test Plugin", "source": "Manual (admin)",
                 "text": "Job completed on joeretina.local: Test Event 2", "time_end": 1449431930.628,
                 "time_start": 1449431840.214}
                """.formatted(code, code == 0 ? "Success!" : "Script exited with code: 1");
    }

    @Test
    void aJobCompletedWithCodeZeroResolvesTheEventsIncident() {
        ParsedEvent.Resolve resolve = resolve(parse(TYPE, jobComplete(0)));

        assertEquals("3c182051", resolve.key(), "the key is the event id, not the per-run job id");
    }

    @Test
    void aJobCompletedWithANonZeroCodeTriggersKeyedByTheEvent() {
        ParsedEvent.Trigger trigger = trigger(parse(TYPE, jobComplete(1)));

        assertEquals("3c182051", trigger.key());
        assertTrue(trigger.title().contains("Test Event 2"), trigger.title());
        assertTrue(trigger.title().contains("code 1"), trigger.title());
        assertEquals("Script exited with code: 1", bodyJson(trigger).path("description").asText());
        assertEquals("jihuyalli01", bodyJson(trigger).path("id").asText());
        assertNull(trigger.severity(), "the integration's default severity applies");
    }

    @Test
    void twoRunsOfOneEventShareTheKey() {
        String second = jobComplete(1).replace("jihuyalli01", "jihuyallz02");

        assertEquals(trigger(parse(TYPE, jobComplete(1))).key(), trigger(parse(TYPE, second)).key());
    }

    @Test
    void aJobFailureTriggers() {
        ParsedEvent.Trigger trigger = trigger(parse(TYPE, jobComplete(255).replace("job_complete", "job_failure")));

        assertEquals("3c182051", trigger.key());
    }

    @Test
    void aJobStartIsIgnored() {
        ignore(parse(TYPE, """
                {"action": "job_start", "base_app_url": "http://localhost:3012", "category": "general",
                 "event": "3c182051", "event_title": "Test Event 2", "hostname": "joeretina.local",
                 "id": "jihuyalli01", "nice_target": "joeretina.local", "plugin": "test",
                 "text": "Job started on joeretina.local: Test Event 2", "time_start": 1449431840.214}
                """));
    }

    @Test
    void aLaunchFailureTriggersWithItsDescription() {
        ParsedEvent.Trigger trigger = trigger(parse(TYPE, """
                {"action": "job_launch_failure", "code": 1,
                 "description": "Failed to launch job: No servers found for target group: allgrp",
                 "event": "3c182051", "event_title": "Test Event 2",
                 "edit_event_url": "http://localhost:3012/#Schedule?sub=edit_event&id=3c182051",
                 "text": "Failed to launch event: Test Event 2"}
                """));

        assertEquals("3c182051", trigger.key());
        assertTrue(trigger.title().contains("could not be launched"), trigger.title());
        assertTrue(bodyJson(trigger).path("description").asText().contains("No servers found"));
    }

    @Test
    void aStringCodeOfZeroResolves() {
        resolve(parse(TYPE, """
                {"action": "job_complete", "complete": 1, "code": "0", "event": "ev1"}
                """));
    }

    @Test
    void anIncompleteJobWithAFailureCodeIsIgnored() {
        ignore(parse(TYPE, """
                {"action": "job_complete", "complete": 0, "code": 1, "event": "ev1"}
                """));
    }

    @Test
    void missingFieldsAreNamed() {
        refusedNaming("action", TYPE, "{\"event\": \"ev1\", \"code\": 1}");
        refusedNaming("event", TYPE, "{\"action\": \"job_complete\", \"complete\": 1, \"code\": 1}");
        refusedNaming("code", TYPE, "{\"action\": \"job_complete\", \"complete\": 1, \"event\": \"ev1\"}");
        refusedNaming("event", TYPE, "{\"action\": \"job_launch_failure\", \"code\": 1}");
    }
}
