package dev.cronhook.api;

import io.helidon.logging.common.LogConfig;
import java.time.Clock;
import java.time.ZoneOffset;

/** Starts Cronhook with the settings of application.yaml and the environment; stops it gracefully on SIGTERM. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // Before anything logs: the log manager is chosen once, at its first use.
        System.setProperty("java.util.logging.manager", StopAwareLogManager.class.getName());
        LogConfig.configureRuntime();
        Settings settings;
        try {
            settings = Settings.load(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("Cronhook cannot start: " + e.getMessage());
            System.exit(2);
            return;
        }
        // Millisecond ticks: every stored time and every comparison then agrees on both databases.
        CronhookServer server = CronhookServer.start(settings, Clock.tickMillis(ZoneOffset.UTC), System.out);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } finally {
                StopAwareLogManager.finish();
            }
        }, "cronhook-shutdown"));
    }
}
