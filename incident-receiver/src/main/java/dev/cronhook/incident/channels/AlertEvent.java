package dev.cronhook.incident.channels;

/** What alert channels are told about incidents. */
public enum AlertEvent {
    OPENED("incident.opened"),
    ACKNOWLEDGED("incident.acknowledged"),
    REOPENED("incident.reopened"),
    RESOLVED("incident.resolved"),
    /** Still triggered after the integration's {@code realert_minutes} (PRODUCT.md section 12). */
    REMINDER("incident.reminder");

    private final String wireName;

    AlertEvent(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static AlertEvent fromWire(String value) {
        for (AlertEvent event : values()) {
            if (event.wireName.equals(value)) {
                return event;
            }
        }
        return null;
    }
}
