package dev.cronhook.incident;

import dev.cronhook.common.FieldError;
import dev.cronhook.common.Input;
import java.util.List;

/**
 * A silence to create, as the api module decoded it. A field whose JSON had the wrong type is named in
 * {@code errors} and arrives as sent null. Times are RFC 3339 text, checked by {@link SilenceService}.
 */
public record SilenceDraft(Input<String> integrationId, Input<String> dedupKey, Input<String> startsAt,
                           Input<String> endsAt, Input<String> comment, List<FieldError> errors) {

    public SilenceDraft {
        errors = List.copyOf(errors);
    }
}
