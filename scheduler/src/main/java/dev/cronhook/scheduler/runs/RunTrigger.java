package dev.cronhook.scheduler.runs;

/** Why an execution exists: its schedule, a person's "run now", or a run missed while no node was up. */
public enum RunTrigger {
    SCHEDULE, MANUAL, CATCH_UP;

    public String wireName() {
        return name().toLowerCase();
    }

    static RunTrigger fromWire(String value) {
        return valueOf(value.toUpperCase());
    }
}
