package dev.cronhook.scheduler.notify;

import dev.cronhook.common.FieldError;
import dev.cronhook.common.Input;
import java.util.List;

/**
 * A create or change request for a webhook subscription, as the api module decoded it. A field whose JSON had the
 * wrong type is named in {@code errors} and arrives as sent null; a list item that was not a string is null.
 */
public record WebhookDraft(Input<String> nickname, Input<String> url, Input<String> authorization,
                           Input<List<String>> topics, Input<List<String>> jobIds, Input<Boolean> enabled,
                           List<FieldError> errors) {

    public WebhookDraft {
        errors = List.copyOf(errors);
    }
}
