package dev.cronhook.scheduler.jobs;

import dev.cronhook.common.FieldError;
import dev.cronhook.common.Input;
import java.util.List;
import java.util.Map;

/**
 * A create or change request for a job, as the api module decoded it from the wire. A field whose JSON had the wrong
 * type is named in {@code errors} and arrives as sent null; {@link JobValidator} reports those first, then its own.
 *
 * @param headers header names to values, in the order sent; a value that was not a string is null
 * @param body the request body to send: a JSON value kept as its JSON text, or a string kept as is
 */
public record JobDraft(Input<String> name, Input<String> url, Input<String> method, Input<Map<String, String>> headers,
                       Input<JobBody> body, Input<String> cron, Input<String> timezone, Input<String> runAt, Input<String> endAt,
                       Input<Long> pauseAfterFailures, Input<String> concurrency, Input<String> catchUp, Input<Long> jitterSeconds, Input<String> completion, Input<Long> callbackTimeoutSeconds, Input<Long> timeoutSeconds, Input<Boolean> enabled, List<FieldError> errors) {

    public JobDraft {
        errors = List.copyOf(errors);
    }
}
