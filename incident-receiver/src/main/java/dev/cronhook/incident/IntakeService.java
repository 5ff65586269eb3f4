package dev.cronhook.incident;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cronhook.common.DomainException;
import dev.cronhook.incident.incidents.IntakeAction;
import dev.cronhook.incident.incidents.IntakeResult;
import dev.cronhook.incident.incidents.ParsedEvent;
import dev.cronhook.incident.intake.EventParser;
import dev.cronhook.incident.intake.IncomingEvent;
import dev.cronhook.incident.intake.IncomingHeaders;
import dev.cronhook.incident.intake.IntakeSignatures;
import dev.cronhook.incident.integrations.IntakeTokens;
import dev.cronhook.incident.integrations.Integration;
import dev.cronhook.incident.integrations.IntegrationRepository;
import dev.cronhook.incident.integrations.IntegrationType;
import dev.cronhook.incident.integrations.StoredIntegration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * {@code POST /hooks/{token}}: finds the integration by its token, checks the signature, reads the event with the
 * integration type's parser and lets the rules act on it. The token is never logged.
 */
public final class IntakeService {
    /** Larger bodies are refused with 413 before they are read further. */
    public static final int MAX_BODY_BYTES = 512 * 1024;
    private static final int MAX_TOKEN = 200;
    private static final System.Logger LOG = System.getLogger(IntakeService.class.getName());

    private final IntegrationRepository integrations;
    private final IntakeSignatures signatures;
    private final IncidentEngine engine;
    private final Openings openings;
    private final ObjectMapper json;

    IntakeService(IntegrationRepository integrations, IntakeSignatures signatures, IncidentEngine engine,
                  Openings openings, ObjectMapper json) {
        this.integrations = integrations;
        this.signatures = signatures;
        this.engine = engine;
        this.openings = openings;
        this.json = json;
    }

    /**
     * Acts on the events of one request, in order.
     *
     * @throws DomainException.UnknownToken no integration has {@code token}
     * @throws DomainException.BadSignature the integration has a signing secret and the signature is wrong
     * @throws DomainException.Malformed the body is not JSON
     * @throws DomainException.Invalid the integration's type cannot read the event; names the missing field
     */
    public IntakeOutcome receive(String token, IncomingHeaders headers, byte[] body) {
        if (token == null || token.isBlank() || token.length() > MAX_TOKEN) {
            throw new DomainException.UnknownToken();
        }
        StoredIntegration stored = integrations.findByTokenHash(IntakeTokens.hash(token.strip()))
                .orElseThrow(DomainException.UnknownToken::new);
        Integration integration = stored.integration();
        if (stored.signingSecret() != null && integration.type().verifiesSignatures()) {
            try {
                signatures.check(integration.type(), stored.signingSecret(), headers, body);
            } catch (DomainException.BadSignature e) {
                LOG.log(Level.WARNING, "intake " + integration.id() + " refused: " + e.getMessage());
                throw e;
            }
        }
        List<ParsedEvent> events = EventParser.of(integration.type()).events(new IncomingEvent(read(body), headers));
        List<IntakeOutcome.Handled> handled = new ArrayList<>(events.size());
        // In the order sent: an alert that fired and resolved within one notification ends resolved.
        for (ParsedEvent parsed : events) {
            ParsedEvent event = withKey(integration, parsed);
            IntakeResult result = apply(integration, event);
            // A line for what changes an incident's state; a grouped or ignored event is on the incident's timeline
            // (or nowhere), and at thousands of events a second its line was a measurable share of the CPU.
            LOG.log(result.action().changesState() ? Level.INFO : Level.DEBUG, () -> "intake " + integration.id()
                    + " " + integration.type().wireName() + " event: " + result.action().wireName()
                    + (result.incidentId() == null ? "" : " " + result.incidentId()));
            handled.add(new IntakeOutcome.Handled(event.key(), result));
        }
        return new IntakeOutcome(integration.type(), handled);
    }

    /**
     * PagerDuty answers a trigger sent without a {@code dedup_key} with one of its own, which the sender keeps to
     * resolve it later: so do we. Other types' triggers without a key open an incident of their own, never grouped.
     */
    private static ParsedEvent withKey(Integration integration, ParsedEvent event) {
        if (integration.type() == IntegrationType.PAGERDUTY && event instanceof ParsedEvent.Trigger trigger
                && trigger.key() == null) {
            return new ParsedEvent.Trigger(UUID.randomUUID().toString().replace("-", ""), trigger.title(),
                    trigger.body(), trigger.severity(), trigger.priority());
        }
        return event;
    }

    /**
     * Most events concern an open incident and are applied at once, in parallel with others; an event that opens an
     * incident waits for the next batch of openings.
     */
    private IntakeResult apply(Integration integration, ParsedEvent event) {
        var keyed = IncidentEngine.keyed(integration, event);
        if (keyed.isEmpty()) {
            return new IntakeResult(IntakeAction.IGNORED, null);
        }
        return engine.applyUnlessOpening(keyed.get()).orElseGet(() -> openings.apply(keyed.get()));
    }

    private JsonNode read(byte[] body) {
        if (body.length == 0) {
            return json.createObjectNode();
        }
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new DomainException.Malformed("the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (node == null || node.isMissingNode()) {
            return json.createObjectNode();
        }
        if (!node.isObject()) {
            throw DomainException.Invalid.of("body", "must be a JSON object");
        }
        return withoutNul(node);
    }

    /**
     * Senders do not resend an event we refuse, so a NUL (which the database cannot store) becomes U+FFFD instead of
     * a refusal; replaced rather than dropped, so that two keys differing only there never merge.
     */
    private JsonNode withoutNul(JsonNode node) {
        if (node.isTextual()) {
            String text = node.textValue();
            return text.indexOf('\u0000') < 0 ? node : json.getNodeFactory().textNode(text.replace('\u0000', '\ufffd'));
        }
        if (node.isObject()) {
            var copy = json.createObjectNode();
            node.properties().forEach(field -> copy.set(field.getKey().replace('\u0000', '\ufffd'), withoutNul(field.getValue())));
            return copy;
        }
        if (node.isArray()) {
            var copy = json.createArrayNode();
            node.forEach(item -> copy.add(withoutNul(item)));
            return copy;
        }
        return node;
    }
}
