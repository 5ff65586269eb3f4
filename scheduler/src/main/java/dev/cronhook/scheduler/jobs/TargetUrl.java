package dev.cronhook.scheduler.jobs;

import dev.cronhook.common.FieldErrors;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/** The rules every URL Cronhook sends to must meet: jobs' and webhooks' alike. */
public final class TargetUrl {
    static final int MAX_CHARS = 2048;

    private TargetUrl() {
    }

    /** The URL, or null after adding what is wrong with it to {@code errors}. */
    public static URI parse(String field, String raw, FieldErrors errors, UrlGuard guard) {
        if (raw.length() > MAX_CHARS) {
            errors.add(field, "must be at most " + MAX_CHARS + " characters");
            return null;
        }
        try {
            URI uri = new URI(raw);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https"))) {
                errors.add(field, "must be an absolute http or https URL");
            } else if (uri.getRawUserInfo() != null) {
                errors.add(field, "must not contain user information; send credentials in a header");
            } else if (guard.refusal(uri) instanceof Optional<String> refusal && refusal.isPresent()) {
                // Before the host check: a refused numeric form such as 2852039166 is no host name for URI.
                errors.add(field, refusal.get());
            } else if (uri.getHost() == null || uri.getHost().isEmpty()) {
                errors.add(field, "must name a host");
            } else if (uri.getPort() == 0 || uri.getPort() > 65535) {
                errors.add(field, "must have a port from 1 to 65535");
            } else {
                return uri;
            }
        } catch (URISyntaxException e) {
            errors.add(field, "is not a valid URL: " + e.getReason());
        }
        return null;
    }
}
