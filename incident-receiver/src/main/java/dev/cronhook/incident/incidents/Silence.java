package dev.cronhook.incident.incidents;

import java.time.Instant;

/**
 * A window in which matching incidents send no alerts (PRODUCT.md section 12). A null matcher matches everything:
 * no integration id, every integration; no dedup key, every key.
 */
public record Silence(String id, String integrationId, String dedupKey, Instant startsAt, Instant endsAt,
                      String comment, Instant createdAt) {

    /** Active in [{@code startsAt}, {@code endsAt}). */
    public boolean activeAt(Instant now) {
        return !now.isBefore(startsAt) && now.isBefore(endsAt);
    }

    public boolean matches(Incident incident) {
        return (integrationId == null || integrationId.equals(incident.integrationId()))
                && (dedupKey == null || dedupKey.equals(incident.dedupKey()));
    }
}
