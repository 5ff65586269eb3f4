package dev.cronhook.delivery.net;

/** Thrown while connecting when the network policy refuses every address of the destination. */
public final class BlockedAddressException extends RuntimeException {

    BlockedAddressException(String reason) {
        // No stack trace: this is an expected outcome, reported as the attempt's error.
        super(reason, null, false, false);
    }
}
