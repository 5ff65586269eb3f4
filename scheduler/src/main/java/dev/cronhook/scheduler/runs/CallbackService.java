package dev.cronhook.scheduler.runs;

import dev.cronhook.common.DomainException;
import dev.cronhook.common.SecretTokens;
import dev.cronhook.common.db.Transactions;
import dev.cronhook.scheduler.jobs.JobRuns;
import io.helidon.dbclient.DbClient;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Callbacks of jobs that complete by callback (PRODUCT.md section 10). A callback is stored, with no more to it, in
 * the transaction that checks it: the attempt it ends is then made due, and the one pick ends it on whichever node
 * claims it (the same way a callback that never comes ends the attempt at its deadline), so the outcome is recorded,
 * retried and announced where every other outcome is. A callback that comes before the 2xx is recorded waits on its
 * URL's row; the recorder finds it there.
 */
public final class CallbackService {
    private static final System.Logger LOG = System.getLogger(CallbackService.class.getName());
    /** The largest callback body taken. */
    public static final int MAX_BODY_BYTES = 64 * 1024;
    /** Says what a token is, to whoever finds one in a log. */
    static final String TOKEN_PREFIX = "chc_";

    private final DbClient db;
    private final ExecutionRepository executions;
    private final CallbackRepository callbacks;
    private final JobRuns engine;
    private final Clock clock;

    public CallbackService(DbClient db, ExecutionRepository executions, JobRuns engine, Clock clock) {
        this.db = db;
        this.executions = executions;
        this.callbacks = executions.callbacks();
        this.engine = engine;
        this.clock = clock;
    }

    /** The attempt a callback ends. */
    public record Accepted(String executionId, int attemptNumber) {
    }

    private record Received(String executionId, int attemptNumber, String jobId, boolean awaited) {
    }

    /**
     * Takes the callback to the URL holding {@code token}. Unknown token: 404; the attempt ended (by a callback
     * before this one, by its deadline, or by a failed request): 409.
     */
    public Accepted receive(String token, CallbackReport report) {
        if (token == null || !token.startsWith(TOKEN_PREFIX)) {
            throw unknown();
        }
        String hash = SecretTokens.hash(token);
        Instant now = clock.instant();
        Received received = Transactions.inTransaction(db, tx -> {
            CallbackRepository.Issued issued = callbacks.find(tx, hash).orElseThrow(CallbackService::unknown);
            String executionId = issued.executionId();
            int attempt = issued.attemptNumber();
            // Locked first, as the recorder locks it before it looks for callbacks: one of the two goes first.
            ExecutionRepository.State state = executions.lockState(tx, executionId)
                    .orElseThrow(CallbackService::unknown);
            boolean awaited = state.status() == ExecutionStatus.AWAITING_CALLBACK && state.attemptCount() == attempt;
            // Its request is under way, or its 2xx is not recorded yet: the callback waits for it.
            boolean early = state.status() == ExecutionStatus.RUNNING && state.attemptCount() == attempt - 1;
            String which = "attempt " + attempt + " of execution " + executionId;
            if (!awaited && !early) {
                throw new DomainException.Conflict(which + " has ended");
            }
            if (callbacks.answered(tx, issued)) {
                throw new DomainException.Conflict(which + " has had its callback");
            }
            if (awaited && !now.isBefore(state.deadline())) {
                throw new DomainException.Conflict(which + " waited for its callback until " + state.deadline()
                        + " and ended callback_timeout");
            }
            callbacks.answer(tx, issued, report, now);
            if (awaited) {
                executions.endAwaitingNow(tx, List.of(executionId), now);
            }
            return new Received(executionId, attempt, state.jobId(), awaited);
        });
        LOG.log(Level.INFO, "callback job=" + received.jobId() + " execution=" + received.executionId() + " attempt="
                + received.attemptNumber() + " status=" + report.status().wireName()
                + (received.awaited() ? "" : " before_response=true"));
        if (received.awaited()) {
            // Ended by the next pick: asked for now rather than at the next tick.
            engine.offer(received.jobId());
        }
        return new Accepted(received.executionId(), received.attemptNumber());
    }

    private static DomainException unknown() {
        return new DomainException.UnknownToken("no callback URL has this token");
    }
}
