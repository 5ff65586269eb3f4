package dev.cronhook.incident;

import dev.cronhook.delivery.WebhookSecret;

/** A channel with its signing secret, which the API shows once for webhook channels and never for Slack ones. */
record StoredChannel(Channel channel, WebhookSecret signingSecret) {
}
