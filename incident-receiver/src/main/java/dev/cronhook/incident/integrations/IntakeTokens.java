package dev.cronhook.incident.integrations;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.cronhook.delivery.signing.Hmac;
import dev.cronhook.delivery.signing.WebhookSecret;
import dev.cronhook.common.SecretTokens;
import java.util.Base64;

/**
 * Intake tokens: 256 random bits, URL-safe. Only their SHA-256 is stored; intake looks an integration up by it.
 * The built-in integration's token is derived from its signing secret instead, so that every node, and every
 * restart, can tell the scheduler where to post without a stored copy of the token.
 */
public final class IntakeTokens {
    static final String PREFIX = "cht_";
    private static final byte[] BUILT_IN_LABEL = "cronhook built-in integration intake token".getBytes(UTF_8);

    private IntakeTokens() {
    }

    static String generate() {
        return SecretTokens.generate(PREFIX);
    }

    static String builtIn(WebhookSecret secret) {
        byte[] mac = Hmac.sha256(secret.keyBytes(), BUILT_IN_LABEL);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(mac);
    }

    public static String hash(String token) {
        return SecretTokens.hash(token);
    }
}
