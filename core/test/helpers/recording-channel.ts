import { definePlugin, type AlertChannel, type AlertMessage, type FaultlinePlugin } from '../../src/index.js';

export interface RecordingChannel {
  plugin: FaultlinePlugin;
  /** Messages sent, in order, with the config each went to. */
  sent: { message: AlertMessage; config: Record<string, unknown> }[];
  /** While true, send() rejects (a receiver that is down). */
  down: boolean;
}

/** An alert channel `record` that keeps what it is sent; its `url` is a secret (writeOnly). */
export function recordingChannel(): RecordingChannel {
  const state: RecordingChannel = { plugin: undefined as unknown as FaultlinePlugin, sent: [], down: false };
  const channel: AlertChannel<Record<string, unknown>> = {
    type: 'record',
    label: 'Recorder (tests)',
    configSchema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        url: { type: 'string', format: 'uri', writeOnly: true },
        to: { type: 'array', items: { type: 'string', format: 'email' } },
      },
    },
    async send(message, config) {
      if (state.down) throw new Error('receiver is down');
      state.sent.push({ message, config });
      return { receiverId: `r-${state.sent.length}` };
    },
    async test(config) {
      return this.send({ id: 'test', reason: 'test', title: 'Test alert', text: 'Test', level: 'info', project: { id: 0, name: '', slug: '' }, issue: null, url: null, createdAt: new Date().toISOString() }, config);
    },
  };
  state.plugin = definePlugin({ name: 'recording-channel', core: '*', setup: (ctx) => ctx.alertChannel(channel) });
  return state;
}
