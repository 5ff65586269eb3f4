package dev.cronhook.scheduler;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** The rules every URL Cronhook sends to must meet: jobs' and webhooks' alike. */
final class TargetUrl {
    static final int MAX_CHARS = 2048;

    private TargetUrl() {
    }

    /** The URL, or null after adding what is wrong with it to {@code errors}. */
    static URI parse(String field, String raw, FieldErrors errors, UrlGuard guard) {
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
            } else if (uri.getHost() == null || uri.getHost().isEmpty()) {
                errors.add(field, "must name a host");
            } else {
                var refusal = guard.refusal(uri);
                if (refusal.isPresent()) {
                    errors.add(field, refusal.get());
                    return null;
                }
                return uri;
            }
        } catch (URISyntaxException e) {
            errors.add(field, "is not a valid URL: " + e.getReason());
        }
        return null;
    }
}
