package dev.cronhook.delivery.outbox;

import java.time.Instant;

/**
 * A delivery this node holds a lease on, with what it needs to send it.
 *
 * @param attemptNumber the number the attempt about to be made gets (attempt numbers continue across redeliveries)
 * @param budgetStart the attempt count when the current budget of attempts began
 * @param lease the next_attempt_at this node wrote when claiming; outcomes are written only while it still stands
 */
record ClaimedDelivery(String id, String endpointId, String eventId, String eventType, byte[] body,
                       int attemptNumber, int budgetStart, Instant lease) {

    /** 1 for the first attempt of the current budget. */
    int attemptInBudget() {
        return attemptNumber - budgetStart;
    }
}
