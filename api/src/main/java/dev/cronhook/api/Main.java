package dev.cronhook.api;

import io.helidon.logging.common.LogConfig;
import java.time.Clock;
import java.time.ZoneOffset;

/** Starts Cronhook with the settings of application.yaml and the environment; stops it gracefully on SIGTERM. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
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
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "cronhook-shutdown"));
    }
}
