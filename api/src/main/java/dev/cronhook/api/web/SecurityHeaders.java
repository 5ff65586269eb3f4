package dev.cronhook.api.web;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Every page and asset carries a Content-Security-Policy that allows scripts, styles, images and requests from this
 * server only, and no inline script: a user's text that slipped into the page as markup still could not run. Styles
 * set from script (the chart library sizes its canvas that way) are allowed by CSP; inline style attributes in markup
 * are not needed, except by the API reader at {@code /docs}, whose library writes them.
 */
public final class SecurityHeaders implements Filter {
    static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    private static final HeaderName CSP = HeaderNames.create("Content-Security-Policy");
    private static final HeaderName NO_SNIFF = HeaderNames.create("X-Content-Type-Options");
    private static final HeaderName REFERRER = HeaderNames.create("Referrer-Policy");
    private static final HeaderName FRAMES = HeaderNames.create("X-Frame-Options");
    static final String DOCS_POLICY = POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String path = req.path().path();
        if (page(path)) {
            res.header(CSP, path.equals("/docs") || path.startsWith("/webjars/swagger-ui/") ? DOCS_POLICY : POLICY);
            res.header(NO_SNIFF, "nosniff");
            res.header(REFERRER, "no-referrer");
            res.header(FRAMES, "DENY");
        }
        chain.proceed();
    }

    /** What a browser shows or loads; the API, intake, pings and callbacks answer JSON to programs. */
    private static boolean page(String path) {
        return path.equals("/") || path.equals("/docs") || path.equals("/openapi.json") || path.startsWith("/ui/")
                || path.startsWith("/webjars/");
    }
}
