package dev.cronhook.incident.channels;

import dev.cronhook.delivery.outbox.DeliveryModule;
import dev.cronhook.delivery.outbox.NewDelivery;
import io.helidon.dbclient.DbExecute;

/** Where alerts are queued: the durable outbox of webhook delivery, inside the incident's own transaction. */
public interface AlertOutbox {

    void enqueue(DbExecute tx, NewDelivery delivery);

    /** Called after the commit of a transaction that enqueued something. */
    void wake();

    static AlertOutbox of(DeliveryModule delivery) {
        return new AlertOutbox() {
            @Override
            public void enqueue(DbExecute tx, NewDelivery delivery1) {
                delivery.outbox().enqueue(tx, delivery1);
            }

            @Override
            public void wake() {
                delivery.outbox().wake();
            }
        };
    }
}
