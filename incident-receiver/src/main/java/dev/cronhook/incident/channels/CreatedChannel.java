package dev.cronhook.incident.channels;

import dev.cronhook.delivery.signing.WebhookSecret;

/** A channel right after it was made: the only time a webhook channel's signing secret is shown (null for Slack). */
public record CreatedChannel(Channel channel, WebhookSecret signingSecret) {
}
