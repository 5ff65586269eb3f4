package dev.cronhook.delivery.http;

import dev.cronhook.delivery.attempts.Outcome;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.ProtocolException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Turns an exception from an exchange into an outcome and a short message for people reading the
 * attempt log. Exceptions come from the socket layer (java.net, TLS) and from the HTTP/1.1 client's
 * parser, which reports malformed responses as unchecked exceptions with a descriptive message;
 * causes may be wrapped, so the whole cause chain is searched, most specific cause first.
 */
final class TransportErrors {

    /** @param understood false when the exception was of no kind we know, worth a log line */
    record Failure(Outcome outcome, String message, boolean understood) {
        Failure(Outcome outcome, String message) {
            this(outcome, message, true);
        }
    }

    private static final int MAX_DETAIL = 160;

    private TransportErrors() {}

    static String timeoutMessage(OutgoingRequest request) {
        long millis = request.timeout().toMillis();
        return "no complete response within "
                + (millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms");
    }

    static Failure classify(Throwable error, OutgoingRequest request) {
        URI url = request.url();
        List<Throwable> chain = chain(error);

        if (find(chain, IncompleteResponseException.class) instanceof IncompleteResponseException incomplete) {
            return connectionError(incomplete.getMessage());
        }
        if (find(chain, SocketTimeoutException.class) instanceof SocketTimeoutException timeout) {
            // Socket.connect says "Connect timed out"; a read past the request's timeout says
            // "Read timed out".
            return messageMentions(List.of(timeout), "connect")
                    ? new Failure(Outcome.TIMEOUT, "connect timed out")
                    : new Failure(Outcome.TIMEOUT, timeoutMessage(request));
        }
        if (has(chain, UnresolvedAddressException.class)
                || has(chain, UnknownHostException.class)) {
            return connectionError("unknown host " + url.getHost());
        }
        if (has(chain, CertificateException.class)) {
            return connectionError(messageMentions(chain, "subject alternative", "hostname")
                    ? "TLS certificate does not match host " + url.getHost()
                    : "TLS certificate not trusted");
        }
        if (has(chain, SSLHandshakeException.class)) {
            return connectionError(
                    withDetail("TLS handshake failed", find(chain, SSLHandshakeException.class)));
        }
        if (has(chain, SSLException.class)) {
            return connectionError(withDetail("TLS error", find(chain, SSLException.class)));
        }
        if (has(chain, NoRouteToHostException.class)) {
            return connectionError("no route to host " + url.getHost());
        }
        if (find(chain, ConnectException.class) instanceof ConnectException refused) {
            // The message is often missing; when present it may name another cause.
            String message = refused.getMessage();
            boolean isRefusal =
                    message == null || message.toLowerCase(Locale.ROOT).contains("refused");
            return connectionError(
                    isRefusal ? "connection refused" : withDetail("could not connect", refused));
        }
        if (messageMentions(chain, "connection reset", "broken pipe")) {
            return connectionError("connection reset");
        }
        // Fixed wording rather than the parser's message, which quotes whatever bytes came back.
        if (messageMentions(chain, "status line")) {
            return connectionError("malformed response: invalid status line");
        }
        if (messageMentions(chain, "chunk")) {
            return connectionError("malformed response: invalid chunked encoding");
        }
        if (messageMentions(chain, "size exceeded", "too long")) {
            return connectionError("malformed response: status line or headers too long");
        }
        if (has(chain, ProtocolException.class)
                || messageMentions(chain, "header", "invalid", "illegal", "malformed")) {
            return connectionError("malformed response");
        }
        if (has(chain, EOFException.class) || messageMentions(chain, "eof")) {
            return connectionError("connection closed before the response was complete");
        }
        if (has(chain, SocketException.class)) {
            return connectionError(withDetail("network error", find(chain, SocketException.class)));
        }
        return new Failure(
                Outcome.CONNECTION_ERROR, withDetail("I/O error", chain.getLast()), false);
    }

    private static Failure connectionError(String message) {
        return new Failure(Outcome.CONNECTION_ERROR, message);
    }

    private static List<Throwable> chain(Throwable error) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = error; t != null && !chain.contains(t); t = t.getCause()) {
            // Wrappers add nothing a person needs to read.
            if (!(t instanceof CompletionException || t instanceof ExecutionException)) {
                chain.add(t);
            }
        }
        if (chain.isEmpty()) {
            chain.add(error);
        }
        return chain;
    }

    private static boolean has(List<Throwable> chain, Class<? extends Throwable> type) {
        return find(chain, type) != null;
    }

    private static Throwable find(List<Throwable> chain, Class<? extends Throwable> type) {
        return chain.stream().filter(type::isInstance).findFirst().orElse(null);
    }

    private static boolean messageMentions(List<Throwable> chain, String... fragments) {
        Predicate<Throwable> mentions = t -> {
            String message = t.getMessage();
            if (message == null) {
                return false;
            }
            String lower = message.toLowerCase(Locale.ROOT);
            for (String fragment : fragments) {
                if (lower.contains(fragment)) {
                    return true;
                }
            }
            return false;
        };
        return chain.stream().anyMatch(mentions);
    }

    /** "summary: first line of the message", kept short and free of control characters. */
    private static String withDetail(String summary, Throwable cause) {
        String message = cause == null ? null : cause.getMessage();
        if (message == null || message.isBlank()) {
            return summary;
        }
        String line = message.strip().lines().findFirst().orElse("");
        line = line.replaceAll("\\p{Cntrl}", "?");
        if (line.length() > MAX_DETAIL) {
            line = line.substring(0, MAX_DETAIL) + "…";
        }
        return summary + ": " + line;
    }
}
