package dev.cronhook.api.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cronhook.common.DomainException;
import dev.cronhook.common.FieldError;
import dev.cronhook.common.Input;
import dev.cronhook.incident.channels.ChannelDraft;
import dev.cronhook.incident.integrations.IntegrationDraft;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the codecs of the receiver's resources name before a service sees the request: unknown fields, wrong JSON
 * types, a body that is no object. The rules on the values are the services' (ReceiverStoreContract).
 */
class CodecsTest {

    @Test
    void anIntegrationWithAnUnknownFieldAndWrongTypesNamesEachField() {
        IntegrationDraft draft = IntegrationCodec.decode(json("{'name': 5, 'type': 'generic', 'colour': 'red', "
                + "'ack_timeout_minutes': 'soon', 'default_severity': true, 'id': 'int_x', 'token': 't'}"));
        assertEquals(List.of("colour", "name", "ack_timeout_minutes", "default_severity"), fields(draft.errors()));
        assertEquals(Input.of("generic"), draft.type());
        assertEquals(Input.cleared(), draft.name(), "a wrong type arrives as sent null, named once");
        assertFalse(draft.signingSecret().sent());
    }

    @Test
    void anIntegrationClearsItsAckTimeoutWithNull() {
        IntegrationDraft draft = IntegrationCodec.decode(json("{'ack_timeout_minutes': null}"));
        assertTrue(draft.ackTimeoutMinutes().sent());
        assertEquals(null, draft.ackTimeoutMinutes().value());
        assertTrue(draft.errors().isEmpty());
    }

    @Test
    void aChannelKeepsItsListsAndNamesWhatIsNoList() {
        ChannelDraft draft = ChannelCodec.decode(json("{'type': 'webhook', 'url': 'https://a.example', "
                + "'events': ['incident.opened', 7], 'integration_ids': 'int_x', 'enabled': 'yes'}"));
        assertEquals(List.of("integration_ids", "enabled"), fields(draft.errors()));
        assertEquals(java.util.Arrays.asList("incident.opened", null), draft.events().value(),
                "an item that is no string is left for the service to name");
    }

    @Test
    void aBodyThatIsNoObjectIsRefusedAtOnce() {
        DomainException.Invalid e = assertThrows(DomainException.Invalid.class,
                () -> ChannelCodec.decode(json("[1]")));
        assertEquals(List.of("body"), fields(e.errors()));
        assertThrows(DomainException.Invalid.class, () -> IntegrationCodec.decode(json("\"x\"")));
        DomainException.Invalid whole = assertThrows(DomainException.Invalid.class, () -> JobCodec.decode(json("[1]")));
        assertEquals("the request body must be a JSON object", whole.getMessage(), "no field, so no leading space");
    }

    private static List<String> fields(List<FieldError> errors) {
        return errors.stream().map(FieldError::field).toList();
    }

    private static JsonNode json(String singleQuoted) {
        try {
            return Json.MAPPER.readTree(singleQuoted.replace('\'', '"'));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(singleQuoted, e);
        }
    }
}
