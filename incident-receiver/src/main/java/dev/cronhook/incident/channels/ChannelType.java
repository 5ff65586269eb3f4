package dev.cronhook.incident.channels;

import java.util.Locale;

/** How an alert channel is told: a signed JSON webhook, or a Slack incoming-webhook message. */
public enum ChannelType {
    WEBHOOK, SLACK;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ChannelType fromWire(String value) {
        for (ChannelType type : values()) {
            if (type.wireName().equals(value)) {
                return type;
            }
        }
        return null;
    }
}
