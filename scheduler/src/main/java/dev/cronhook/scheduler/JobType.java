package dev.cronhook.scheduler;

public enum JobType {
    CRON, ONCE;

    public String wireName() {
        return name().toLowerCase();
    }
}
