package dev.cronhook.delivery.outbox;

import dev.cronhook.delivery.AttemptResult;
import java.time.Instant;

/** What became of a claimed delivery, waiting to be written. */
sealed interface Settlement {

    ClaimedDelivery claim();

    /** @param nextAttemptAt when the next attempt is due; null when the delivery is done with */
    record Attempted(ClaimedDelivery claim, AttemptResult result, DeliveryStatus status, Instant nextAttemptAt,
                     Instant at) implements Settlement {
    }

    /** Not sent, and no attempt used up: due again at {@code until}. */
    record Deferred(ClaimedDelivery claim, Instant until, Instant at) implements Settlement {
    }
}
