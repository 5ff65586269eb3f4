package dev.cronhook.incident;

import dev.cronhook.delivery.WebhookSecret;

/** A channel with its signing secret (null for Slack), which the API shows only once. */
record StoredChannel(Channel channel, WebhookSecret signingSecret) {
}
