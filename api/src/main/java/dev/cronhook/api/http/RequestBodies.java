package dev.cronhook.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cronhook.api.codec.Json;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads a JSON request body: 415 when it is not JSON, 413 when too large, 400 when malformed or not strict UTF-8, 422
 * naming the field when text holds a control character.
 */
public final class RequestBodies {
    private final long maxBytes;

    public RequestBodies(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** The body as JSON; an empty body reads as an empty object (actions such as pause take no body). */
    public JsonNode json(ServerRequest req) {
        byte[] bytes = read(req);
        if (bytes.length == 0) {
            return Json.object();
        }
        String contentType = req.headers().first(HeaderNames.CONTENT_TYPE).orElse("").toLowerCase(Locale.ROOT);
        if (!isJson(contentType)) {
            throw new ProblemException(Problem.of(415, "unsupported-media-type", "Unsupported media type",
                    "send the body as JSON with Content-Type: application/json"));
        }
        JsonNode tree = parse(bytes);
        refuseControlCharacters(tree, "");
        return tree;
    }

    /**
     * The body as JSON whatever its declared type, and text as sent: for machines posting back (callbacks), which
     * would not send again a body refused for its Content-Type or an escape sequence in their output.
     */
    public JsonNode anyJson(ServerRequest req) {
        byte[] bytes = read(req);
        if (bytes.length == 0) {
            throw ProblemException.badRequest("the body must be JSON");
        }
        return parse(bytes);
    }

    private static JsonNode parse(byte[] bytes) {
        String text;
        try {
            // Strictly: Jackson alone decodes an overlong form such as C0 AF as "/".
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw ProblemException.badRequest("the body is not valid UTF-8");
        }
        try {
            return Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw ProblemException.badRequest("the body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /**
     * Text in the API is refused when it holds NUL or another control character but tab, line feed and carriage
     * return: the database cannot store a NUL, and the others are never meant in names, URLs or headers. Named by
     * the path of the field that holds it ({@code headers.X-Trace}, {@code body.items[2]}).
     */
    private static void refuseControlCharacters(JsonNode node, String path) {
        if (node.isTextual()) {
            if (hasControlCharacter(node.textValue())) {
                throw ProblemException.invalid(path, "must not contain NUL or other control characters "
                        + "(tab and line breaks are allowed)");
            }
        } else if (node.isObject()) {
            for (var fields = node.properties().iterator(); fields.hasNext(); ) {
                var field = fields.next();
                String fieldPath = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                if (hasControlCharacter(field.getKey())) {
                    throw ProblemException.invalid(path.isEmpty() ? "body" : path,
                            "has a field name with NUL or another control character");
                }
                refuseControlCharacters(field.getValue(), fieldPath);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                refuseControlCharacters(node.get(i), path + "[" + i + "]");
            }
        }
    }

    static boolean hasControlCharacter(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                return true;
            }
        }
        return false;
    }

    private static boolean isJson(String contentType) {
        String mediaType = contentType.split(";", 2)[0].trim();
        return mediaType.equals("application/json") || (mediaType.startsWith("application/") && mediaType.endsWith("+json"));
    }

    private byte[] read(ServerRequest req) {
        long declared = req.headers().contentLength().orElse(-1);
        if (declared > maxBytes) {
            throw tooLarge();
        }
        if (!req.content().hasEntity()) {
            return new byte[0];
        }
        try (InputStream in = req.content().inputStream()) {
            byte[] bytes = in.readNBytes((int) maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw tooLarge();
            }
            return bytes;
        } catch (IOException e) {
            throw ProblemException.badRequest("the body could not be read");
        }
    }

    private ProblemException tooLarge() {
        return new ProblemException(Problem.of(413, "payload-too-large", "Payload too large",
                "the body must be at most " + maxBytes + " bytes"));
    }
}
