package dev.cronhook.api.e2e;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A one-time job that falls due while the server is stopped (SIGTERM) fires exactly once when it starts again on the
 * same H2 data folder, as a catch-up; a one-time job due after the restart fires on time.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RestartCatchUpIT extends AgainstPackagedServer {
    @Override
    String serverName() {
        return "restart";
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
