package dev.cronhook.api.e2e;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * One packaged server (H2, its own data folder) and one WireMock target for a whole test class, with an admin key
 * the class knows. Subclasses name the server and may add settings.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AgainstPackagedServer {
    static final String ADMIN_KEY = "chk_e2e_" + UUID.randomUUID().toString().replace("-", "");

    Target target;
    ServerProcess server;
    Api api;

    /** Names the server's data folder and log files. */
    abstract String serverName();

    /** Settings beyond the admin key, e.g. a short retry table. */
    Map<String, String> settings() {
        return Map.of();
    }

    @BeforeAll
    void startServerAndTarget() {
        target = new Target();
        Map<String, String> env = new HashMap<>(settings());
        env.put("CRONHOOK_ADMIN_KEY", ADMIN_KEY);
        server = ServerProcess.start(serverName(), env);
        api = new Api(server, ADMIN_KEY);
    }

    @AfterAll
    void stopServerAndTarget() {
        if (server != null) {
            server.close();
        }
        if (target != null) {
            target.close();
        }
    }
}
