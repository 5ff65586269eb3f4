package dev.cronhook.incident.channels;

import dev.cronhook.delivery.signing.WebhookSecret;

/** A channel with its signing secret, which the API shows once for webhook channels and never for Slack ones. */
record StoredChannel(Channel channel, WebhookSecret signingSecret) {
}
