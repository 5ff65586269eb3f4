package dev.cronhook.delivery.http;

import java.io.IOException;

/** The server closed the connection before the response was complete; the message says where. */
final class IncompleteResponseException extends IOException {

    IncompleteResponseException(String message, Throwable cause) {
        super(message, cause);
    }
}
