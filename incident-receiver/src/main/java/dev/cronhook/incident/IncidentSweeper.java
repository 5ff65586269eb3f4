package dev.cronhook.incident;

import dev.cronhook.incident.incidents.IncidentRepository;
import dev.cronhook.incident.incidents.SilenceRepository;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * What is due on incidents by time rather than by an event: acknowledged incidents whose {@code ack_timeout_minutes}
 * ran out go back to triggered and alert again; triggered incidents past their {@code realert_minutes} get
 * {@code incident.reminder}; the incidents an ended silence muted are alerted. Every node sweeps; conditional
 * updates let exactly one of them act on each incident and each silence.
 */
public final class IncidentSweeper implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(IncidentSweeper.class.getName());
    private static final int BATCH = 100;

    private final IncidentRepository incidents;
    private final SilenceRepository silences;
    private final IncidentEngine engine;
    private final Clock clock;
    private Periodic timer;

    IncidentSweeper(IncidentRepository incidents, SilenceRepository silences, IncidentEngine engine, Clock clock) {
        this.incidents = incidents;
        this.silences = silences;
        this.engine = engine;
        this.clock = clock;
    }

    /** Reopens every incident due now; returns how many this call reopened. */
    public int runOnce() {
        int reopened = 0;
        List<String> due;
        do {
            due = incidents.ackExpired(clock.instant(), BATCH);
            for (String id : due) {
                if (engine.reopenExpired(id)) {
                    reopened++;
                    LOG.log(Level.INFO, "incident " + id + " reopened: its acknowledgement timed out");
                }
            }
        } while (due.size() == BATCH);
        return reopened;
    }

    /** Sends every reminder due now; returns how many this call sent. */
    public int remindOnce() {
        int sent = 0;
        List<String> due;
        do {
            due = incidents.remindersDue(clock.instant(), BATCH);
            for (String id : due) {
                if (engine.remind(id)) {
                    sent++;
                }
            }
        } while (due.size() == BATCH);
        return sent;
    }

    /** Alerts what the silences that ended since the last sweep muted; returns how many incidents it alerted. */
    public int endSilencesOnce() {
        int alerted = 0;
        List<String> ended;
        do {
            ended = silences.endedUnhandled(clock.instant(), BATCH);
            for (String id : ended) {
                int count = engine.endSilence(id);
                if (count > 0) {
                    LOG.log(Level.INFO, "silence " + id + " ended: " + count + " incidents it muted alerted");
                }
                alerted += count;
            }
        } while (ended.size() == BATCH);
        return alerted;
    }

    synchronized void start(Duration interval) {
        timer = Periodic.start("incident-sweeper", this::sweep, interval);
    }

    private void sweep() {
        runOnce();
        remindOnce();
        endSilencesOnce();
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.close();
            timer = null;
        }
    }
}
