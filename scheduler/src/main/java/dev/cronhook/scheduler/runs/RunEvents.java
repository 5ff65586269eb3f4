package dev.cronhook.scheduler.runs;

import dev.cronhook.scheduler.jobs.Job;
import io.helidon.dbclient.DbExecute;
import java.time.Instant;
import java.util.List;

/**
 * What the outcome writer and the overlap guard announce, inside the transaction that records it: the notification events of
 * {@code scheduler.notify}, which this package reaches only through this interface.
 */
public interface RunEvents {
    /**
     * An attempt that started, one whose outcome a batch recorded, a job the batch paused after failures, or a run
     * skipped unsent.
     */
    sealed interface Event permits Started, Ended, Paused, Skipped, Missed {
    }

    record Started(ClaimedRun run, Instant at) implements Event {
    }

    record Ended(FinishedAttempt attempt) implements Event {
    }

    record Paused(Job job, String reason) implements Event {
    }

    /** A run of a {@code forbid} job whose moment came while another of its executions was in flight. */
    record Skipped(ClaimedRun run, Instant at) implements Event {
    }

    /**
     * A cron job missed {@code count} slots, from {@code first} to {@code last}, while no node could run it, and its
     * {@code catch_up} policy does not run them.
     */
    record Missed(Job job, long count, Instant first, Instant last, Instant at) implements Event {
    }

    /** Queues the deliveries of a batch's events, in their order, in {@code tx}; returns how many were queued. */
    int queue(DbExecute tx, List<Event> events);

    /** After the commit of a batch that queued deliveries: send them now rather than at the next poll. */
    void wake();
}
