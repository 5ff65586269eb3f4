package dev.cronhook.incident.channels;

import dev.cronhook.delivery.outbox.Endpoint;
import dev.cronhook.delivery.outbox.EndpointDirectory;
import dev.cronhook.delivery.signing.WebhookSecret;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Tells the delivery worker where {@code ch_…} alerts go, as the channel stands at send time. */
public final class ChannelDirectory implements EndpointDirectory {
    private static final System.Logger LOG = System.getLogger(ChannelDirectory.class.getName());

    private final ChannelRepository channels;
    private final Clock clock;

    public ChannelDirectory(ChannelRepository channels, Clock clock) {
        this.channels = channels;
        this.clock = clock;
    }

    @Override
    public Optional<Endpoint> find(String endpointId, Instant at) {
        return channels.find(endpointId)
                .filter(stored -> stored.channel().enabled())
                // Slack verifies nothing: its incoming webhooks get no signature headers.
                .map(stored -> new Endpoint(stored.channel().id(), stored.channel().url(), null,
                        stored.signingSecret() == null || stored.channel().type() == ChannelType.SLACK
                                ? List.<WebhookSecret>of() : List.of(stored.signingSecret())));
    }

    @Override
    public void gone(String endpointId, String reason) {
        if (channels.disable(endpointId, clock.instant())) {
            LOG.log(Level.WARNING, "alert channel " + endpointId + " disabled: " + reason);
        }
    }
}
