package dev.cronhook.scheduler.jobs;

public enum JobType {
    CRON, ONCE;

    public String wireName() {
        return name().toLowerCase();
    }
}
