package dev.cronhook.delivery.http;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One HTTP request to send, exactly as it should go on the wire.
 *
 * <p>Validation happens here, when the request is built, so that {@link HttpSender} only ever
 * fails for reasons of the network. The header names the sender or the HTTP client control
 * ({@link #isReservedHeader}) are refused; user-facing code can use that check to validate
 * configured headers up front.
 *
 * @param body the bytes to send; null or empty sends no body
 * @param timeout the whole exchange, from connecting to the end of the (capped) response body
 */
public record OutgoingRequest(
        URI url, String method, Map<String, String> headers, byte[] body, Duration timeout) {

    // RFC 9110 token characters, for methods and header names. A table rather than a regular expression: every
    // header of every request is checked.
    private static final boolean[] TOKEN_CHARS = new boolean[128];

    static {
        for (char c : "!#$%&'*+.^_`|~-".toCharArray()) {
            TOKEN_CHARS[c] = true;
        }
        for (char c = '0'; c <= '9'; c++) {
            TOKEN_CHARS[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TOKEN_CHARS[c] = true;
            TOKEN_CHARS[Character.toUpperCase(c)] = true;
        }
    }

    // User-Agent is ours; the rest frame the message, which is the HTTP client's business.
    private static final Set<String> RESERVED_HEADERS = Set.of(
            "user-agent", "host", "content-length", "connection", "expect", "upgrade",
            "transfer-encoding", "te", "trailer", "keep-alive", "proxy-connection");

    public OutgoingRequest {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(timeout, "timeout");
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
            throw new IllegalArgumentException(
                    "url must be an absolute http or https URL with a host");
        }
        if (!isToken(method) || method.equalsIgnoreCase("CONNECT")) {
            throw new IllegalArgumentException("unsupported HTTP method");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        headers = copyHeaders(headers);
        body = body == null ? null : body.clone();
    }

    /** Whether {@code name} may not be set by callers (case-insensitive). */
    public static boolean isReservedHeader(String name) {
        return RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT));
    }

    private static boolean isToken(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 128 || !TOKEN_CHARS[c]) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code value} can be sent as a header value unchanged. */
    public static boolean isValidHeaderValue(String value) {
        return value != null && value.chars().allMatch(OutgoingRequest::isFieldValueChar);
    }

    /** A defensive copy; the record never exposes its own array. */
    @Override
    public byte[] body() {
        return body == null ? null : body.clone();
    }

    boolean hasBody() {
        return body != null && body.length > 0;
    }

    byte[] bodyBytes() {
        return body;
    }

    private static Map<String, String> copyHeaders(Map<String, String> headers) {
        if (headers == null) {
            return Map.of();
        }
        Map<String, String> copy = new LinkedHashMap<>();
        headers.forEach((name, value) -> {
            if (name == null || !isToken(name)) {
                throw new IllegalArgumentException("invalid header name: " + name);
            }
            if (isReservedHeader(name)) {
                throw new IllegalArgumentException(
                        "header " + name + " is set by Cronhook and may not be overridden");
            }
            // Values are not echoed: they are often credentials.
            if (!isValidHeaderValue(value)) {
                throw new IllegalArgumentException("invalid value for header " + name);
            }
            copy.put(name, value);
        });
        return Collections.unmodifiableMap(copy);
    }

    // Visible ASCII, space and tab. HTTP clients accept Latin-1 too but may put it on the
    // wire as '?', so such a value is refused when configured rather than mangled when sent.
    private static boolean isFieldValueChar(int c) {
        return c == ' ' || c == '\t' || (c >= 0x21 && c <= 0x7e);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OutgoingRequest other
                && url.equals(other.url)
                && method.equals(other.method)
                && headers.equals(other.headers)
                && Arrays.equals(body, other.body)
                && timeout.equals(other.timeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(url, method, headers, Arrays.hashCode(body), timeout);
    }

    /** Header values and the body are left out: they often hold credentials. */
    @Override
    public String toString() {
        return "OutgoingRequest[" + method + " " + url + ", headers=" + headers.keySet()
                + ", body=" + (body == null ? 0 : body.length) + " bytes, timeout=" + timeout + "]";
    }
}
