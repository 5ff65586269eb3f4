package dev.cronhook.api.e2e;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * A one-time job that falls due while the server is stopped (SIGTERM) fires exactly once when it starts again on the
 * same H2 data folder, as a catch-up; a one-time job due after the restart fires on time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RestartCatchUpIT {
    private static final String ADMIN_KEY = "chk_e2e_" + UUID.randomUUID().toString().replace("-", "");

    private Target target;
    private ServerProcess server;
    private Api api;

    @BeforeAll
    void start() {
        target = new Target();
        server = ServerProcess.start("restart", Map.of("CRONHOOK_ADMIN_KEY", ADMIN_KEY));
        api = new Api(server, ADMIN_KEY);
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
        if (target != null) {
            target.close();
        }
    }

    @Test
    void oneTimeJobDueWhileStoppedArrivesOnceAfterTheRestart() {
        Instant createdAt = Instant.now();
        RestartScenario scenario = RestartScenario.prepare(api, target, createdAt);
        scenario.stopRightAway(server);
        scenario.whileStopped(target);
        server.startAgain();
        scenario.afterRestart(api, target);
    }
}
