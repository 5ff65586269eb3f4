package dev.cronhook.api;

import java.util.logging.LogManager;

/**
 * JUL's log manager, except that the JDK's own shutdown hook does not reset it: that hook runs alongside the graceful
 * stop and removed every handler, so each line the stop logged ("cut off by shutdown", "stopped") was lost. The stop
 * resets it itself with {@link #finish()}, after its last line. Installed by {@link Main} through the
 * {@code java.util.logging.manager} property, before anything logs.
 */
public final class StopAwareLogManager extends LogManager {
    private static final Thread PROBE = new Thread(() -> { });

    @Override
    public void reset() {
        if (!shuttingDown()) {
            super.reset();
        }
    }

    /** Closes the handlers, writing whatever they still hold; the last thing a stop does. */
    public static void finish() {
        if (LogManager.getLogManager() instanceof StopAwareLogManager manager) {
            manager.resetNow();
        }
    }

    private void resetNow() {
        super.reset();
    }

    /** Only the JVM knows: adding or removing a hook during shutdown is refused. */
    private static boolean shuttingDown() {
        try {
            Runtime.getRuntime().removeShutdownHook(PROBE);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }
}
