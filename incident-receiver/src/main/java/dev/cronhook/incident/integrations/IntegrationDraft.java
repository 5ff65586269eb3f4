package dev.cronhook.incident.integrations;

import dev.cronhook.common.FieldError;
import dev.cronhook.common.Input;
import java.util.List;

/**
 * A create or change request for an integration, as the api module decoded it. A field whose JSON had the wrong type
 * is named in {@code errors} and arrives as sent null.
 */
public record IntegrationDraft(Input<String> name, Input<String> type, Input<String> signingSecret,
                               Input<Long> ackTimeoutMinutes, Input<String> defaultSeverity,
                               Input<Long> alertAfter, Input<Long> realertMinutes, List<FieldError> errors) {

    public IntegrationDraft {
        errors = List.copyOf(errors);
    }
}
