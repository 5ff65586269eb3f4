package dev.cronhook.incident.intake;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cronhook.common.DomainException;
import dev.cronhook.incident.incidents.EventBody;
import dev.cronhook.incident.incidents.ParsedEvent;
import dev.cronhook.incident.incidents.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prometheus Alertmanager's {@code webhook_configs} body (version 4): each entry of {@code alerts[]} is one event —
 * {@code firing} triggers, {@code resolved} resolves — keyed by the alert's {@code fingerprint} (the hash of its
 * labels, the same for every notification of that alert). Title: {@code annotations.summary}, else
 * {@code labels.alertname}; severity from {@code labels.severity}, else the integration's default.
 */
final class AlertmanagerParser implements EventParser {

    @Override
    public List<ParsedEvent> events(IncomingEvent event) {
        JsonNode alerts = event.at("alerts");
        if (!alerts.isArray()) {
            throw DomainException.Invalid.of("alerts", "is required: an array of alerts (Alertmanager webhook, "
                    + "version 4)");
        }
        List<ParsedEvent> events = new ArrayList<>(alerts.size());
        for (int i = 0; i < alerts.size(); i++) {
            events.add(alert(alerts.get(i), "alerts[" + i + "]"));
        }
        return events;
    }

    private static ParsedEvent alert(JsonNode alert, String path) {
        String fingerprint = Payloads.text(alert.path("fingerprint"));
        if (fingerprint == null) {
            throw DomainException.Invalid.of(path + ".fingerprint", "is required (Alertmanager 0.19 and later send it)");
        }
        String status = Payloads.text(alert.path("status"));
        if ("resolved".equals(status)) {
            return new ParsedEvent.Resolve(fingerprint, "resolved by Alertmanager");
        }
        if (!"firing".equals(status)) {
            throw DomainException.Invalid.of(path + ".status", "must be firing or resolved");
        }
        String title = Payloads.firstNonNull(Payloads.text(alert.path("annotations").path("summary")),
                Payloads.text(alert.path("labels").path("alertname")));
        if (title == null) {
            throw DomainException.Invalid.of(path + ".labels.alertname", "is required when there is no "
                    + "annotations.summary");
        }
        return new ParsedEvent.Trigger(fingerprint, title, EventBody.of(Payloads.pick(alert, "labels", "annotations",
                "startsAt", "generatorURL")), severity(Payloads.text(alert.path("labels").path("severity"))), null);
    }

    /** Prometheus rules name severities freely: the common ones map, any other takes the integration's default. */
    private static Severity severity(String label) {
        if (label == null) {
            return null;
        }
        return switch (label.toLowerCase(Locale.ROOT)) {
            case "critical" -> Severity.SEV1;
            case "error", "warning" -> Severity.SEV2;
            case "info" -> Severity.SEV3;
            default -> null;
        };
    }
}
