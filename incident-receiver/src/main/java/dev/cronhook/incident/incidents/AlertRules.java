package dev.cronhook.incident.incidents;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * When an incident alerts (PRODUCT.md section 12), as pure functions: its integration's {@code alert_after} and
 * {@code realert_minutes}, and the silences active now.
 */
public final class AlertRules {
    private AlertRules() {
    }

    /** Whether an incident with {@code occurrences} has reached its integration's {@code alert_after}. */
    public static boolean reached(long occurrences, int alertAfter) {
        return occurrences >= alertAfter;
    }

    /** Whether one of {@code silences} mutes {@code incident} at {@code now}. */
    public static boolean silenced(List<Silence> silences, Incident incident, Instant now) {
        return silencing(silences, incident, now).isPresent();
    }

    /** The first of {@code silences} that mutes {@code incident} at {@code now}. */
    public static Optional<Silence> silencing(List<Silence> silences, Incident incident, Instant now) {
        return silences.stream().filter(silence -> silence.activeAt(now) && silence.matches(incident)).findFirst();
    }

    /** When the next {@code incident.reminder} is due after an alert at {@code alertedAt}; null for none. */
    public static Instant nextReminder(Instant alertedAt, Integer realertMinutes) {
        return realertMinutes == null ? null : alertedAt.plus(Duration.ofMinutes(realertMinutes));
    }
}
