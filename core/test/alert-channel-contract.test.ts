import { expect } from 'chai';
import { FaultlineError } from '../src/errors.js';
import type { AlertChannel, AlertMessage } from '../src/providers/alert-channel.js';
import { alertChannelContract, type AlertChannelHarness, type ReceivedAlert } from '../src/testing/alert-channel-contract.js';
import { runContract } from './helpers/run-contract.js';

interface InboxConfig {
  inbox: string;
}

/** A receiver in memory: named inboxes; 'closed' refuses every delivery. */
function inboxes() {
  const boxes = new Map<string, ReceivedAlert[]>();
  return {
    deliver(config: InboxConfig, message: AlertMessage) {
      if (config.inbox === 'closed') throw new FaultlineError('FAULTLINE_ERR_UNAVAILABLE', 'inbox refused the delivery');
      const box = boxes.get(config.inbox) ?? [];
      box.push({ messageId: message.id, text: `${message.title}\n${message.text}` });
      boxes.set(config.inbox, box);
    },
    read: (inbox: string) => [...(boxes.get(inbox) ?? [])],
  };
}

/** A correct channel: one delivery per call, failures rejected. */
function inboxChannel(receiver: ReturnType<typeof inboxes>): AlertChannel<InboxConfig> {
  return {
    type: 'inbox',
    label: 'In-memory inbox',
    configSchema: { type: 'object', required: ['inbox'], additionalProperties: false, properties: { inbox: { type: 'string', minLength: 1 } } },
    async send(message, config) {
      receiver.deliver(config, message);
      return { receiverId: message.id };
    },
    async test(config) {
      receiver.deliver(config, { id: `test-${Date.now()}`, reason: 'test', title: 'Faultline test alert', text: 'It works', level: 'info', project: { id: 0, name: '', slug: '' }, issue: null, url: null, createdAt: new Date().toISOString() });
      return {};
    },
  };
}

function harnessFor(make: (receiver: ReturnType<typeof inboxes>) => AlertChannel<InboxConfig>) {
  return async (): Promise<AlertChannelHarness<InboxConfig>> => {
    const receiver = inboxes();
    return {
      channel: make(receiver),
      config: { inbox: 'ops' },
      received: async () => receiver.read('ops'),
      failingConfig: { inbox: 'closed' },
      invalidConfig: { config: { inbox: 'ops', cc: 'x' }, path: 'config.cc' },
    };
  };
}

alertChannelContract(harnessFor(inboxChannel), 'in-memory inbox (reference)');

describe('the alert channel contract catches broken channels', function () {
  this.timeout(60_000);

  it('reports a channel that delivers a message twice', async function () {
    const twice = (receiver: ReturnType<typeof inboxes>): AlertChannel<InboxConfig> => {
      const good = inboxChannel(receiver);
      return {
        ...good,
        async send(message, config) {
          await good.send(message, config);
          return good.send(message, config); // the bug: a "retry" after a delivery that worked
        },
      };
    };
    const run = await runContract(() => alertChannelContract(harnessFor(twice), 'delivers twice'));
    expect(run.failed.map((f) => f.title)).to.deep.equal([
      'delivers one message per send, carrying its title',
      'delivers two messages as two, in order',
    ]);
  });

  it('reports a channel that swallows a refused delivery', async function () {
    const swallows = (receiver: ReturnType<typeof inboxes>): AlertChannel<InboxConfig> => {
      const good = inboxChannel(receiver);
      return {
        ...good,
        async send(message, config) {
          try {
            return await good.send(message, config);
          } catch {
            return {}; // the bug: failure reported as success, so nobody retries
          }
        },
      };
    };
    const run = await runContract(() => alertChannelContract(harnessFor(swallows), 'swallows failures'));
    expect(run.failed.map((f) => f.title)).to.deep.equal(['rejects when the receiver refuses or cannot be reached, rather than reporting success']);
  });
});
