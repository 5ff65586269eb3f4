package dev.cronhook.incident;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * How the receiver runs.
 *
 * @param publicUrl the base of intake URLs ({@code <publicUrl>/hooks/<token>}); null to take it from each request
 * @param ackSweepInterval how often acknowledged incidents are checked for an expired acknowledgement
 * @param checkInterval how often every node looks for heartbeat checks past their deadline
 * @param urlRefusal why the network policy refuses a channel URL whose host is a literal address, if it does (the
 *                   same rule as for jobs and webhooks; names are checked when alerts are sent)
 */
public record ReceiverSettings(URI publicUrl, Duration ackSweepInterval, Duration checkInterval,
                               Function<String, Optional<String>> urlRefusal) {

    public static ReceiverSettings defaults() {
        return new ReceiverSettings(null, Duration.ofSeconds(15), Duration.ofSeconds(1), url -> Optional.empty());
    }

    public ReceiverSettings withPublicUrl(URI value) {
        return new ReceiverSettings(value, ackSweepInterval, checkInterval, urlRefusal);
    }

    public ReceiverSettings withAckSweepInterval(Duration value) {
        return new ReceiverSettings(publicUrl, value, checkInterval, urlRefusal);
    }

    public ReceiverSettings withCheckInterval(Duration value) {
        return new ReceiverSettings(publicUrl, ackSweepInterval, value, urlRefusal);
    }

    public ReceiverSettings withUrlRefusal(Function<String, Optional<String>> value) {
        return new ReceiverSettings(publicUrl, ackSweepInterval, checkInterval, value);
    }
}
