import { definePlugin, type FaultlinePlugin } from '@faultline/core';
import { webhookChannel, type WebhookChannelOptions } from './webhook-channel.js';

export { webhookChannel, type WebhookConfig, type WebhookChannelOptions } from './webhook-channel.js';
export { webhookPayload, PAYLOAD_VERSION } from './webhook-payload.js';
export { sign, verifySignature, SIGNATURE_HEADER, TIMESTAMP_HEADER, DEFAULT_TOLERANCE_SECONDS, type VerifyInput, type VerifyResult } from './signature.js';

/**
 * `alertWebhook()`: registers the `webhook` alert channel. A rule's action:
 * `{"channel": "webhook", "url": "https://example.com/hooks/faultline", "secret": "<16+ characters>"}`.
 */
export function alertWebhook(options: WebhookChannelOptions = {}): FaultlinePlugin {
  return definePlugin({
    name: '@faultline/plugin-alert-webhook',
    core: '^0.1.0',
    setup(ctx) {
      ctx.alertChannel(webhookChannel(options));
    },
  });
}

export default alertWebhook;
