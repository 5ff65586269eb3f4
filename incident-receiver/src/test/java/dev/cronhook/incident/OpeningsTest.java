package dev.cronhook.incident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cronhook.incident.incidents.IntakeAction;
import dev.cronhook.incident.incidents.IntakeResult;
import dev.cronhook.incident.incidents.ParsedEvent;
import dev.cronhook.incident.incidents.Severity;
import dev.cronhook.incident.integrations.Integration;
import dev.cronhook.incident.integrations.IntegrationType;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Openings with a stand-in for the transaction that applies a batch. The batching itself and its fallback to one by
 * one are {@code GroupCommit}'s, tested with it.
 */
class OpeningsTest {
    private static final Integration SOURCE = new Integration("int_1", "source", IntegrationType.GENERIC, false, null,
            Severity.SEV2, false, 1, null, Instant.EPOCH, Instant.EPOCH);

    private static IncidentEngine.Keyed event(String key) {
        return new IncidentEngine.Keyed(SOURCE, new ParsedEvent.Trigger(key, key, null, null, null), key);
    }

    private static List<IntakeResult> openAll(List<IncidentEngine.Keyed> batch) {
        return batch.stream().map(e -> new IntakeResult(IntakeAction.OPENED, "inc_" + e.key())).toList();
    }

    @Test
    void theCallerGetsTheDatabasesErrorItself() {
        try (Openings openings = new Openings(batch -> {
            throw new IllegalArgumentException("value too long");
        })) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> openings.apply(event("bad")));
            assertEquals("value too long", refused.getMessage());
        }
    }

    @Test
    void afterCloseEventsAreRefused() {
        Openings openings = new Openings(OpeningsTest::openAll);
        assertEquals("inc_a", openings.apply(event("a")).incidentId());

        openings.close();

        assertThrows(IllegalStateException.class, () -> openings.apply(event("b")));
    }
}
