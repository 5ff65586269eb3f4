package dev.cronhook.incident;

import dev.cronhook.common.db.GroupCommit;
import dev.cronhook.incident.incidents.IntakeResult;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * Opens incidents in batches, one transaction each ({@link GroupCommit}). Incident numbers have no gaps, so the
 * transaction that takes one holds the counter row until its commit is on disk; with one opening per transaction,
 * openings took turns at the pace of the disk flush (700/s in the intake benchmark). A batch takes the numbers of all
 * its openings at once. An event's reply waits for the commit of its batch, so a reply still means the incident is
 * stored; with the database away it fails at once (the sender hears 503 and sends again).
 */
final class Openings implements AutoCloseable {
    private static final GroupCommit.Settings SETTINGS = new GroupCommit.Settings("cronhook-incident-opener", 100, 1,
            Duration.ofMillis(100), Duration.ofSeconds(30));

    private final GroupCommit<IncidentEngine.Keyed, IntakeResult> commits;

    /** @param applyAll applies a batch of events in one transaction, one result per event */
    Openings(Function<List<IncidentEngine.Keyed>, List<IntakeResult>> applyAll) {
        this.commits = new GroupCommit<>(SETTINGS, applyAll::apply);
    }

    /**
     * Applies an event that found no open incident for its key, once its batch has committed. The batch looks
     * again: an incident opened meanwhile for the same key, by an earlier event of the batch or another node,
     * counts it instead.
     *
     * @throws IllegalStateException once the receiver is stopping
     */
    IntakeResult apply(IncidentEngine.Keyed event) {
        try {
            return commits.submit(event).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /** Events waiting for a batch. */
    int backlog() {
        return commits.backlog();
    }

    /** Writes what is queued, then stops; events that arrive later are refused. */
    @Override
    public void close() {
        commits.close();
    }
}
