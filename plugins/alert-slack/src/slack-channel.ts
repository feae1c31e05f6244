import { FaultlineError, postAlert, testAlertMessage, type AlertChannel, type AlertMessage } from '@faultline/core';
import { slackPayload } from './slack-blocks.js';

export interface SlackConfig {
  /** The incoming webhook's URL: a credential, stored as given and shown masked. Default: the plugin's. */
  webhookUrl?: string;
}

export interface SlackChannelOptions {
  /** The webhook of rules that name none (or FAULTLINE_SLACK_WEBHOOK_URL). */
  webhookUrl?: string;
  /** One request's timeout. Default 10 s. */
  timeoutMs?: number;
  /** 429 Retry-After waits up to this long within one send; longer ones fail the attempt with the wait. Default 30 s. */
  maxRetryAfterMs?: number;
}

/** The `slack` alert channel: Slack incoming webhooks, Block Kit messages. */
export function slackChannel(options: SlackChannelOptions = {}): AlertChannel<SlackConfig> {
  const fallbackUrl = options.webhookUrl ?? process.env.FAULTLINE_SLACK_WEBHOOK_URL;
  async function post(message: AlertMessage, config: SlackConfig) {
    const url = config.webhookUrl ?? fallbackUrl;
    if (!url) throw new FaultlineError('FAULTLINE_ERR_ALERT_CHANNEL_CONFIG', 'slack config.webhookUrl is required (no default webhook is set)', { path: 'config.webhookUrl' });
    await postAlert(url, JSON.stringify(slackPayload(message)), { receiver: 'Slack', timeoutMs: options.timeoutMs, maxRetryAfterMs: options.maxRetryAfterMs });
    return {};
  }
  return {
    type: 'slack',
    label: 'Slack (incoming webhook)',
    configSchema: {
      type: 'object',
      additionalProperties: false,
      required: fallbackUrl ? [] : ['webhookUrl'],
      properties: { webhookUrl: { type: 'string', format: 'uri', pattern: '^https?://', maxLength: 500, writeOnly: true } },
    },
    send: post,
    test: (config) =>
      post(testAlertMessage('Alerts from this rule reach this channel.'), config),
  };
}
