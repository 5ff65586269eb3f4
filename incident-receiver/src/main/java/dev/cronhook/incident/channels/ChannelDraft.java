package dev.cronhook.incident.channels;

import dev.cronhook.common.FieldError;
import dev.cronhook.common.Input;
import java.util.List;

/**
 * A create or change request for an alert channel, as the api module decoded it. A field whose JSON had the wrong
 * type is named in {@code errors} and arrives as sent null; a list item that was not a string is null.
 */
public record ChannelDraft(Input<String> type, Input<String> url, Input<List<String>> events,
                           Input<List<String>> integrationIds, Input<String> minSeverity, Input<Boolean> enabled,
                           List<FieldError> errors) {

    public ChannelDraft {
        errors = List.copyOf(errors);
    }
}
