package dev.cronhook.incident;

import dev.cronhook.common.FieldError;
import dev.cronhook.common.Input;
import java.util.List;

/**
 * A check to create, or the fields of one to change, as the api module decoded it. A field whose JSON had the wrong
 * type is named in {@code errors} and arrives as sent null.
 */
public record CheckDraft(Input<String> name, Input<Long> periodSeconds, Input<String> cron, Input<String> timezone,
                         Input<Long> graceSeconds, Input<String> integrationId, Input<String> tags,
                         List<FieldError> errors) {

    public CheckDraft {
        errors = List.copyOf(errors);
    }
}
