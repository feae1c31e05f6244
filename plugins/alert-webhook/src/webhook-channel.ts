import { postAlert, testAlertMessage, type AlertChannel, type AlertMessage } from '@faultline/core';
import { sign, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './signature.js';
import { webhookPayload } from './webhook-payload.js';

export interface WebhookConfig {
  /** Where to POST (may carry a token, so it is treated as a secret). */
  url: string;
  /** The HMAC key the receiver verifies with; at least 16 characters. */
  secret: string;
  /** Extra headers (an API key header of the receiver, say); also treated as secret. */
  headers?: Record<string, string>;
}

export interface WebhookChannelOptions {
  /** One request's timeout. Default 10 s. */
  timeoutMs?: number;
  /** 429 Retry-After waits up to this long within one send. Default 30 s. */
  maxRetryAfterMs?: number;
  /** The clock, in seconds (tests). */
  now?: () => number;
}

/** A config's extra headers, without any that would change the body's type or our own. */
function ownHeaders(headers: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).filter(([name]) => !/^(content-type|content-length|x-faultline-)/i.test(name)));
}

/** The `webhook` alert channel: a signed JSON POST per alert. */
export function webhookChannel(options: WebhookChannelOptions = {}): AlertChannel<WebhookConfig> {
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  async function post(message: AlertMessage, config: WebhookConfig) {
    const body = JSON.stringify(webhookPayload(message));
    const timestamp = now();
    await postAlert(config.url, body, {
      receiver: 'Webhook',
      timeoutMs: options.timeoutMs,
      maxRetryAfterMs: options.maxRetryAfterMs,
      headers: {
        ...ownHeaders(config.headers),
        'user-agent': 'Faultline-Webhook/1',
        [TIMESTAMP_HEADER]: String(timestamp),
        [SIGNATURE_HEADER]: sign(config.secret, timestamp, body),
        'x-faultline-alert-id': message.id,
      },
    });
    return {};
  }
  return {
    type: 'webhook',
    label: 'Webhook (signed JSON)',
    configSchema: {
      type: 'object',
      additionalProperties: false,
      required: ['url', 'secret'],
      properties: {
        url: { type: 'string', format: 'uri', pattern: '^https?://', maxLength: 2000, writeOnly: true },
        secret: { type: 'string', minLength: 16, maxLength: 500, writeOnly: true },
        headers: {
          type: 'object',
          maxProperties: 20,
          writeOnly: true,
          propertyNames: { pattern: '^[A-Za-z0-9-]{1,100}$' },
          additionalProperties: { type: 'string', maxLength: 2000 },
        },
      },
    },
    send: post,
    test: (config) =>
      post(testAlertMessage('Alerts from this rule reach this webhook.'), config),
  };
}
