package dev.cronhook.incident;

import dev.cronhook.common.db.Transactions;
import dev.cronhook.incident.checks.Check;
import dev.cronhook.incident.checks.CheckRepository;
import dev.cronhook.incident.checks.CheckRules;
import dev.cronhook.incident.checks.Flip;
import dev.cronhook.incident.incidents.TransientFailures;
import io.helidon.dbclient.DbClient;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Sets late checks down, and counts each further period a down check stays silent, on every node every interval.
 * While nothing is due a pass is one probe of the due index, however many checks there are. Checks due together are
 * read in one query and written in one transaction with their flips and incidents; each write is a conditional update
 * on the version read, so on any number of nodes exactly one of them flips a check and raises its incident.
 */
public final class CheckEvaluator implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(CheckEvaluator.class.getName());
    static final int BATCH = 500;
    /** Passes over full batches before the next interval: a backlog is worked off, a runaway loop is not possible. */
    private static final int MAX_BATCHES = 100;

    private final DbClient db;
    private final CheckRepository checks;
    private final CheckAlarms alarms;
    private final Clock clock;
    private Periodic timer;

    CheckEvaluator(DbClient db, CheckRepository checks, CheckAlarms alarms, Clock clock) {
        this.db = db;
        this.checks = checks;
        this.alarms = alarms;
        this.clock = clock;
    }

    /** Evaluates every check due now; returns how many this call changed. */
    public int runOnce() {
        int changed = 0;
        for (int batch = 0; batch < MAX_BATCHES; batch++) {
            Instant now = clock.instant();
            if (!checks.anyDue(db.execute(), now)) {
                break;
            }
            Pass pass = TransientFailures.retry(() -> Transactions.inTransaction(db, tx -> {
                List<Check> due = new ArrayList<>(checks.due(tx, now, BATCH));
                // One order on every node: two passes over the same checks wait for each other, never deadlock.
                due.sort(Comparator.comparing(Check::id));
                List<CheckRules.Change> changes = new ArrayList<>();
                for (Check check : due) {
                    CheckRules.late(check, now).filter(change -> checks.update(tx, change.check()))
                            .ifPresent(changes::add);
                }
                List<Flip> flips = changes.stream().map(CheckRules.Change::flip)
                        .filter(java.util.Objects::nonNull).toList();
                checks.insertFlips(tx, flips);
                return new Pass(due.size(), changes, alarms.raise(tx, changes));
            }));
            if (pass.alerted()) {
                alarms.wake();
            }
            for (CheckRules.Change change : pass.changes()) {
                if (change.flip() != null) {
                    LOG.log(Level.INFO, "check " + change.check().id() + " is down: " + change.note());
                }
            }
            changed += pass.changes().size();
            if (pass.read() < BATCH) {
                break;
            }
        }
        return changed;
    }

    private record Pass(int read, List<CheckRules.Change> changes, boolean alerted) {
    }

    synchronized void start(Duration interval) {
        timer = Periodic.start("check-evaluator", this::runOnce, interval);
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.close();
            timer = null;
        }
    }
}
