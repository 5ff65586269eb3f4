package dev.cronhook.api.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.net.URI;

/** Where the URLs we hand out (intake, ping) point. */
final class BaseUrls {
    private BaseUrls() {
    }

    /**
     * The configured public URL, else the scheme and host the client used to reach us (a proxy's
     * {@code X-Forwarded-Proto} / {@code X-Forwarded-Host} when present); never with a trailing slash.
     */
    static String of(ServerRequest req, URI publicUrl) {
        if (publicUrl != null) {
            String text = publicUrl.toString();
            return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        }
        String proto = req.headers().first(HeaderNames.X_FORWARDED_PROTO).map(BaseUrls::firstValue)
                .orElse(req.isSecure() ? "https" : "http");
        String host = req.headers().first(HeaderNames.X_FORWARDED_HOST).map(BaseUrls::firstValue)
                .or(() -> req.headers().first(HeaderNames.HOST))
                .orElse(req.localPeer().host() + ":" + req.localPeer().port());
        return proto + "://" + host;
    }

    private static String firstValue(String header) {
        return header.split(",", 2)[0].trim();
    }
}
