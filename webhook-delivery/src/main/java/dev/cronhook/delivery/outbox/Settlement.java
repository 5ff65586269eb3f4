package dev.cronhook.delivery.outbox;

import dev.cronhook.delivery.attempts.AttemptResult;
import java.time.Instant;

/** What became of a claimed delivery, waiting to be written. */
sealed interface Settlement {

    ClaimedDelivery claim();

    /** When the delivery is due again once this is written; null when it is done with. */
    Instant dueAgainAt();

    /** @param nextAttemptAt when the next attempt is due; null when the delivery is done with */
    record Attempted(ClaimedDelivery claim, AttemptResult result, DeliveryStatus status, Instant nextAttemptAt,
                     Instant at) implements Settlement {

        @Override
        public Instant dueAgainAt() {
            return nextAttemptAt;
        }
    }

    /** Not sent, and no attempt used up: due again at {@code until}. */
    record Deferred(ClaimedDelivery claim, Instant until, Instant at) implements Settlement {

        @Override
        public Instant dueAgainAt() {
            return until;
        }
    }
}
