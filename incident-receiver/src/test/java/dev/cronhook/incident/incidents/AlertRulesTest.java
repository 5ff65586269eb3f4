package dev.cronhook.incident.incidents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When an incident alerts (PRODUCT.md section 12): thresholds, reminders and silence windows, at fixed instants. */
class AlertRulesTest {
    private static final Instant T0 = Instant.parse("2026-12-06T22:00:00Z");

    private static Incident incident(String integrationId, String key) {
        return new Incident("inc_1", 1, integrationId, key, "t", null, false, Severity.SEV2, null,
                IncidentStatus.TRIGGERED, 1, T0, T0, null, null, null);
    }

    private static Silence silence(String integrationId, String key, Instant starts, Instant ends) {
        return new Silence("sil_1", integrationId, key, starts, ends, "maintenance", T0);
    }

    @Test
    void anIncidentAlertsOnceItHasAlertAfterOccurrences() {
        assertTrue(AlertRules.reached(1, 1));
        assertFalse(AlertRules.reached(2, 3));
        assertTrue(AlertRules.reached(3, 3));
        assertTrue(AlertRules.reached(4, 3));
    }

    @Test
    void remindersFollowRealertMinutes() {
        assertEquals(T0.plus(Duration.ofMinutes(30)), AlertRules.nextReminder(T0, 30));
        assertNull(AlertRules.nextReminder(T0, null), "no realert_minutes, no reminders");
    }

    @Test
    void aSilenceMutesFromItsStartUntilJustBeforeItsEnd() {
        List<Silence> window = List.of(silence(null, null, T0, T0.plusSeconds(3600)));
        Incident any = incident("int_a", "k");
        assertFalse(AlertRules.silenced(window, any, T0.minusMillis(1)), "not yet");
        assertTrue(AlertRules.silenced(window, any, T0), "from its start");
        assertTrue(AlertRules.silenced(window, any, T0.plusSeconds(3599)));
        assertFalse(AlertRules.silenced(window, any, T0.plusSeconds(3600)), "over at its end");
    }

    @Test
    void aSilenceMatchesByIntegrationAndKeyAndALeftOutMatcherMatchesAll() {
        Instant now = T0.plusSeconds(1);
        Instant end = T0.plusSeconds(60);
        assertTrue(AlertRules.silenced(List.of(silence("int_a", null, T0, end)), incident("int_a", "k"), now));
        assertFalse(AlertRules.silenced(List.of(silence("int_a", null, T0, end)), incident("int_b", "k"), now));
        assertTrue(AlertRules.silenced(List.of(silence(null, "k", T0, end)), incident("int_b", "k"), now));
        assertFalse(AlertRules.silenced(List.of(silence(null, "k", T0, end)), incident("int_b", "other"), now));
        assertFalse(AlertRules.silenced(List.of(silence("int_a", "k", T0, end)), incident("int_a", null), now),
                "an incident without a key matches only silences without one");
        assertTrue(AlertRules.silenced(List.of(silence("int_b", null, T0, end), silence(null, "k", T0, end)),
                incident("int_a", "k"), now), "any one of them");
    }
}
