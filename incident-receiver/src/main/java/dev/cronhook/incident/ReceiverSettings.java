package dev.cronhook.incident;

import java.net.URI;
import java.time.Duration;

/**
 * How the receiver runs.
 *
 * @param publicUrl the base of intake URLs ({@code <publicUrl>/hooks/<token>}); null to take it from each request
 * @param ackSweepInterval how often acknowledged incidents are checked for an expired acknowledgement
 */
public record ReceiverSettings(URI publicUrl, Duration ackSweepInterval) {

    public static ReceiverSettings defaults() {
        return new ReceiverSettings(null, Duration.ofSeconds(15));
    }
}
