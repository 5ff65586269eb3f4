package dev.cronhook.incident;

import dev.cronhook.incident.channels.AlertEvent;
import dev.cronhook.incident.channels.AlertPublisher;
import dev.cronhook.incident.channels.Channel;
import dev.cronhook.incident.incidents.AlertRules;
import dev.cronhook.incident.incidents.Incident;
import dev.cronhook.incident.incidents.IncidentRepository;
import dev.cronhook.incident.incidents.IncidentStatus;
import dev.cronhook.incident.incidents.Silence;
import dev.cronhook.incident.incidents.SilenceRepository;
import dev.cronhook.incident.integrations.Integration;
import io.helidon.dbclient.DbExecute;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The one place an incident's change becomes an alert, or does not (PRODUCT.md section 12): {@code incident.opened}
 * once the incident has its integration's {@code alert_after} occurrences; nothing while a silence matches it, the
 * opening then muted for the silence's end to send; {@code incident.resolved} for every incident whose opening was
 * alerted, silenced or not; acknowledgements, reopenings and reminders only for those, and not while silenced.
 */
final class AlertGate {
    private final IncidentRepository incidents;
    private final SilenceRepository silences;
    private final AlertPublisher alerts;

    AlertGate(IncidentRepository incidents, SilenceRepository silences, AlertPublisher alerts) {
        this.incidents = incidents;
        this.silences = silences;
        this.alerts = alerts;
    }

    /** The gate for one transaction: the silences and channels it looks at are read once, when first needed. */
    Pass pass(DbExecute tx, Instant now) {
        return new Pass(tx, now);
    }

    void wake() {
        alerts.wake();
    }

    /** The timeline's word for an alert a silence held back. */
    static String silencedNote(Silence silence) {
        return "not alerted: silence " + silence.id() + " until " + silence.endsAt();
    }

    final class Pass {
        private final DbExecute tx;
        private final Instant now;
        private List<Silence> current;
        private List<Channel> channels;

        private Pass(DbExecute tx, Instant now) {
            this.tx = tx;
            this.now = now;
        }

        Optional<Silence> silencing(Incident incident) {
            if (current == null) {
                current = silences.current(tx, now);
            }
            return AlertRules.silencing(current, incident, now);
        }

        private boolean publish(AlertEvent event, Incident incident) {
            if (channels == null) {
                channels = alerts.enabled(tx);
            }
            return alerts.publish(tx, channels, event, incident);
        }

        /** What an incident opening now is: alerted at once, muted by a silence, or waiting for more occurrences. */
        record Opening(Incident incident, boolean alert, Silence silence, Instant remindAt) {
        }

        /**
         * Decides an opening before it is written, so that its row is inserted with its alert state: no second
         * statement per opening. {@link #announce} sends its alert once it is.
         */
        Opening opening(Incident incident, Integration integration) {
            if (!AlertRules.reached(incident.occurrences(), integration.alertAfter())) {
                return new Opening(incident, false, null, null);
            }
            Optional<Silence> silence = silencing(incident);
            if (silence.isPresent()) {
                return new Opening(incident, false, silence.get(), null);
            }
            return new Opening(incident, true, null, AlertRules.nextReminder(now, integration.realertMinutes()));
        }

        /** The alert of an opening {@link #opening} decided to alert, once its row is written. */
        boolean announce(Opening opening) {
            return opening.alert() && publish(AlertEvent.OPENED, opening.incident());
        }

        /**
         * An incident that counted one more occurrence ({@code alerted}, {@code muted}: its state before):
         * sends {@code incident.opened} once it has {@code alert_after} occurrences, unless a silence mutes it. True
         * when an alert was queued.
         */
        boolean counted(Incident incident, boolean alerted, boolean muted, Integration integration) {
            if (alerted || incident.status() != IncidentStatus.TRIGGERED
                    || !AlertRules.reached(incident.occurrences(), integration.alertAfter())) {
                return false;
            }
            Optional<Silence> silence = silencing(incident);
            if (silence.isPresent()) {
                if (!muted) {
                    incidents.markMuted(tx, incident.id());
                    incidents.addTimeline(tx, incident.id(), now, "silenced", silencedNote(silence.get()));
                }
                return false;
            }
            return opened(incident, integration);
        }

        /** Sends {@code incident.opened} now, and plans its reminders. */
        boolean opened(Incident incident, Integration integration) {
            incidents.markAlerted(tx, incident.id(), AlertRules.nextReminder(now, integration.realertMinutes()));
            return publish(AlertEvent.OPENED, incident);
        }

        /** {@code incident.resolved}: sent for every incident whose opening was alerted, whatever silences say. */
        boolean resolved(Incident incident, boolean alerted) {
            return alerted && publish(AlertEvent.RESOLVED, incident);
        }

        /** An acknowledgement, a reopening or a reminder: for an alerted incident that no silence mutes. */
        boolean changed(AlertEvent event, Incident incident, boolean alerted) {
            return alerted && silencing(incident).isEmpty() && publish(event, incident);
        }
    }
}
