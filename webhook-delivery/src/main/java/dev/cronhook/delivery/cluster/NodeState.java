package dev.cronhook.delivery.cluster;

/** Alive while it heartbeats; dead once another node found its heartbeat too old; stopped after a graceful stop. */
public enum NodeState {
    ALIVE, DEAD, STOPPED;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static NodeState fromWire(String value) {
        return valueOf(value.toUpperCase(java.util.Locale.ROOT));
    }
}
