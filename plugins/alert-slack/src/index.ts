import { definePlugin, type FaultlinePlugin } from '@faultline/core';
import { slackChannel, type SlackChannelOptions } from './slack-channel.js';

export { slackChannel, type SlackConfig, type SlackChannelOptions } from './slack-channel.js';
export { slackPayload, escapeMrkdwn } from './slack-blocks.js';

/**
 * `alertSlack()`: registers the `slack` alert channel. A rule's action names the incoming webhook
 * (`{"channel": "slack", "webhookUrl": "https://hooks.slack.com/services/..."}`); without one, the
 * plugin's `webhookUrl` (or FAULTLINE_SLACK_WEBHOOK_URL) is used.
 */
export function alertSlack(options: SlackChannelOptions = {}): FaultlinePlugin {
  return definePlugin({
    name: '@faultline/plugin-alert-slack',
    core: '^0.1.0',
    setup(ctx) {
      ctx.alertChannel(slackChannel(options));
    },
  });
}

export default alertSlack;
