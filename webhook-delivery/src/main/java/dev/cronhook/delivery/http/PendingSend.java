package dev.cronhook.delivery.http;

import dev.cronhook.delivery.attempts.AttemptResult;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * One request handed to {@link HttpSender#submit}: waiting in its destination's queue, then sent. While it waits it
 * is this small record and nothing more — no connection, no thread, no buffer — so a burst of any size costs memory
 * per run, not per connection. The request itself is built (and signed) only when its turn comes.
 */
public final class PendingSend {
    private static final int QUEUED = 0;
    private static final int STARTED = 1;
    private static final int WITHDRAWN = 2;

    private final Function<Instant, OutgoingRequest> request;
    private final long queuedAtNanos;
    private final AtomicInteger state = new AtomicInteger(QUEUED);
    private final CompletableFuture<AttemptResult> result = new CompletableFuture<>();
    /** The exchange under way, once started: abandoning the send cuts it off. */
    private volatile Deadline exchange;
    private volatile boolean abandoned;

    PendingSend(Function<Instant, OutgoingRequest> request, long queuedAtNanos) {
        this.request = Objects.requireNonNull(request, "request");
        this.queuedAtNanos = queuedAtNanos;
    }

    /**
     * Completes with the attempt's result once it was sent, or cancelled when it was withdrawn or abandoned (then
     * nothing is to be recorded: it was not sent, or its end is unknown). Dependent actions run on the sending thread:
     * keep them short.
     */
    public CompletableFuture<AttemptResult> result() {
        return result;
    }

    /**
     * Waits for the result: the turn in the queue, then the exchange.
     *
     * @throws CancellationException when it was withdrawn or abandoned, or the calling thread is interrupted (then it
     *     is abandoned and the interrupt flag stays set)
     */
    public AttemptResult await() {
        try {
            return result.get();
        } catch (InterruptedException e) {
            abandon();
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while sending");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Takes it back if it has not started; true when it never will (its result is cancelled). */
    public boolean withdraw() {
        if (state.compareAndSet(QUEUED, WITHDRAWN)) {
            result.cancel(false);
            return true;
        }
        return false;
    }

    /** Withdraws it, or cuts its exchange off if it is under way; its result is cancelled either way. */
    public void abandon() {
        if (withdraw()) {
            return;
        }
        abandoned = true;
        Deadline running = exchange;
        if (running != null) {
            running.cutOff();
        }
    }

    public boolean started() {
        return state.get() == STARTED;
    }

    long queuedAtNanos() {
        return queuedAtNanos;
    }

    /** Its turn came: true when it is this caller's to send, false when it was withdrawn meanwhile. */
    boolean start() {
        return state.compareAndSet(QUEUED, STARTED);
    }

    OutgoingRequest build(Instant sentAt) {
        return request.apply(sentAt);
    }

    /** The exchange is under way; when the send was abandoned first, it is cut off at once. */
    void exchanging(Deadline running) {
        exchange = running;
        if (abandoned) {
            running.cutOff();
        }
    }

    /** The exchange is over: nothing left to cut off. */
    void exchanged() {
        exchange = null;
    }

    boolean abandoned() {
        return abandoned;
    }

    void complete(AttemptResult attempt) {
        if (abandoned) {
            result.cancel(false);
        } else {
            result.complete(attempt);
        }
    }

    void fail(Throwable error) {
        if (error instanceof CancellationException || abandoned) {
            result.cancel(false);
        } else {
            result.completeExceptionally(error);
        }
    }
}
