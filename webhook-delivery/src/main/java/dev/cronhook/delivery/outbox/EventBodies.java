package dev.cronhook.delivery.outbox;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;

/** Event bodies are stored as text; only bytes that come back from it unchanged are accepted, or signatures break. */
final class EventBodies {
    private EventBodies() {
    }

    /** @throws IllegalArgumentException when the body is not UTF-8 text a text column can hold */
    static String text(byte[] body) {
        String text;
        try {
            text = UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("an event body must be UTF-8 JSON");
        }
        // PostgreSQL text cannot hold NUL; JSON escapes it, so a raw one means the body is not JSON.
        if (text.indexOf('\u0000') >= 0) {
            throw new IllegalArgumentException("an event body must be UTF-8 JSON");
        }
        return text;
    }
}
