package dev.cronhook.delivery.http;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Cuts one exchange off at its deadline, or when its send is abandoned, by interrupting the thread that carries it
 * out: interrupting a virtual thread blocked on a socket closes the socket, which ends a connect that hangs and a
 * response that dribbles in forever. The exchange runs on the sending thread itself, so no second thread is needed
 * per request just to be able to stop it.
 *
 * <p>The interrupt lands only while the exchange is under way: {@link #finish} either stops the cut-off from coming, or
 * waits until its interrupt was delivered and clears it, so the thread goes on to its next request uninterrupted.
 */
final class Deadline {
    private static final int UNDER_WAY = 0;
    private static final int FINISHED = 1;
    private static final int CUT_OFF = 2;

    private final Thread thread;
    private final AtomicInteger state = new AtomicInteger(UNDER_WAY);
    private volatile boolean interruptDelivered;
    private volatile ScheduledFuture<?> timer;

    /** For the calling thread, which is about to carry out the exchange. */
    Deadline() {
        this.thread = Thread.currentThread();
    }

    /** Cuts the exchange off after {@code nanos}, measured by {@code timers}' own clock (nanoTime). */
    void arm(ScheduledExecutorService timers, long nanos) {
        timer = timers.schedule(this::cutOff, nanos, TimeUnit.NANOSECONDS);
    }

    /** Cuts the exchange off now, if it is still under way; does nothing after {@link #finish}. */
    void cutOff() {
        if (state.compareAndSet(UNDER_WAY, CUT_OFF)) {
            thread.interrupt();
            interruptDelivered = true;
        }
    }

    /**
     * Called by the exchange's thread once it is over, however it ended: true when it was cut off (its interrupt is
     * consumed), false when it ended by itself (no cut-off will come).
     */
    boolean finish() {
        if (state.compareAndSet(UNDER_WAY, FINISHED)) {
            ScheduledFuture<?> armed = timer;
            if (armed != null) {
                armed.cancel(false);
            }
            return false;
        }
        while (!interruptDelivered) {
            Thread.onSpinWait();
        }
        Thread.interrupted();
        return true;
    }
}
