package dev.cronhook.incident.channels;

import dev.cronhook.common.PrefixedIds;
import dev.cronhook.delivery.outbox.NewDelivery;
import dev.cronhook.incident.incidents.Incident;
import io.helidon.dbclient.DbExecute;
import java.time.Clock;
import java.util.List;

/**
 * Queues an alert for every channel that wants it, in the transaction that changed the incident: the alert is
 * stored exactly when the change is. One event id per alert, the same for every channel.
 */
public final class AlertPublisher {
    private final ChannelRepository channels;
    private final AlertOutbox outbox;
    private final IncidentJson json;
    private final PrefixedIds ids;
    private final Clock clock;

    public AlertPublisher(ChannelRepository channels, AlertOutbox outbox, IncidentJson json, PrefixedIds ids, Clock clock) {
        this.channels = channels;
        this.outbox = outbox;
        this.json = json;
        this.ids = ids;
        this.clock = clock;
    }

    /** Returns true when something was queued: then {@link #wake()} after the commit. */
    public boolean publish(DbExecute tx, AlertEvent event, Incident incident) {
        return publish(tx, enabled(tx), event, incident);
    }

    /** The channels that may hear an alert, for a transaction that publishes several. */
    public List<Channel> enabled(DbExecute tx) {
        return channels.enabled(tx);
    }

    /** Like {@link #publish(DbExecute, AlertEvent, Incident)}, to the channels {@link #enabled} returned. */
    public boolean publish(DbExecute tx, List<Channel> enabled, AlertEvent event, Incident incident) {
        List<Channel> targets = enabled.stream().filter(c -> c.wants(event, incident)).toList();
        if (targets.isEmpty()) {
            return false;
        }
        String eventId = ids.next("evt");
        byte[] webhookBody = json.alert(eventId, event, clock.instant(), incident);
        byte[] slackBody = json.slack(event, incident);
        for (Channel channel : targets) {
            byte[] body = channel.type() == ChannelType.WEBHOOK ? webhookBody : slackBody;
            outbox.enqueue(tx, new NewDelivery(channel.id(), eventId, event.wireName(), body));
        }
        return true;
    }

    public void wake() {
        outbox.wake();
    }
}
