/// <reference types="mocha" />
import { expect } from 'chai';
import { AlertChannelRegistry } from '../alert-config/alert-channel-registry.js';
import { isFaultlineError } from '../errors.js';
import type { AlertChannel, AlertMessage } from '../providers/alert-channel.js';

/** One message as the channel's receiver got it (an SMTP server, a Slack or webhook endpoint on loopback). */
export interface ReceivedAlert {
  /** The AlertMessage id, when the delivery carries it (a header, a field); null when it cannot. */
  messageId: string | null;
  /** Everything readable the receiver got (subject and body, the JSON, the blocks' text). */
  text: string;
}

/** What a channel's test set-up gives the suite: the channel, a receiver that records, and configs. */
export interface AlertChannelHarness<Config> {
  channel: AlertChannel<Config>;
  /** Delivers to the receiver behind `received()`. */
  config: Config;
  /** What the receiver got so far, in order of arrival. */
  received(): Promise<ReceivedAlert[]>;
  /** A config whose receiver refuses or cannot be reached: `send` and `test` must reject. */
  failingConfig: Config;
  /** A config the schema rejects, and the path its error must name (`config.url`). */
  invalidConfig: { config: unknown; path: string };
  /** Closes the receiver. */
  close?(): Promise<void>;
}

/**
 * The `alertChannels` contract, as mocha tests: `alertChannelContract(async () => ({ channel: slackChannel(),
 * config: { webhookUrl: receiver.url }, ... }), 'slack')`. Each test gets a fresh harness; calls go through
 * an AlertChannelRegistry, as core makes them (configs validated against the channel's schema first).
 * Receivers may take a moment to record a delivery, so counts are read after a short settle.
 */
export function alertChannelContract<Config>(factory: () => Promise<AlertChannelHarness<Config>>, label = 'alert channel'): void {
  describe(`alert channel contract: ${label}`, function () {
    this.timeout(20_000);
    let harness: AlertChannelHarness<Config>;
    let registry: AlertChannelRegistry;

    beforeEach(async function () {
      harness = await factory();
      registry = new AlertChannelRegistry();
      registry.register('contract', harness.channel as AlertChannel<any>);
    });
    afterEach(async function () {
      await harness?.close?.();
    });

    it('declares a type, a label and a config schema that accepts its working config', function () {
      expect(harness.channel.type).to.match(/^[a-z][a-z0-9-]*$/);
      expect(harness.channel.label).to.be.a('string').and.not.equal('');
      expect(() => registry.validateConfig(harness.channel.type, harness.config)).not.to.throw();
    });

    it('delivers one message per send, carrying its title', async function () {
      const message = alertMessage('contract-1', 'New issue: TypeError x is undefined');
      await registry.send(harness.channel.type, message, harness.config);
      const received = await settled(harness);
      expect(received, 'deliveries for one send').to.have.length(1);
      expect(received[0].text).to.contain('TypeError x is undefined');
      if (received[0].messageId !== null) expect(received[0].messageId).to.equal('contract-1');
    });

    it('delivers two messages as two, in order', async function () {
      await registry.send(harness.channel.type, alertMessage('contract-a', 'First alert AAA'), harness.config);
      await registry.send(harness.channel.type, alertMessage('contract-b', 'Second alert BBB'), harness.config);
      const received = await settled(harness);
      expect(received).to.have.length(2);
      expect(received[0].text).to.contain('First alert AAA');
      expect(received[1].text).to.contain('Second alert BBB');
    });

    it('test() delivers exactly one message', async function () {
      await registry.test(harness.channel.type, harness.config);
      expect(await settled(harness)).to.have.length(1);
    });

    it('rejects when the receiver refuses or cannot be reached, rather than reporting success', async function () {
      const outcome = await registry.send(harness.channel.type, alertMessage('contract-f', 'Refused'), harness.failingConfig).then(
        () => 'resolved',
        (err: unknown) => err,
      );
      expect(outcome, 'send() resolved for a refused delivery').to.be.instanceOf(Error);
      const tested = await registry.test(harness.channel.type, harness.failingConfig).then(() => 'resolved', (err: unknown) => err);
      expect(tested, 'test() resolved for a refused delivery').to.be.instanceOf(Error);
    });

    it('refuses an invalid config before sending, naming the path', async function () {
      let caught: unknown;
      try {
        await registry.send(harness.channel.type, alertMessage('contract-i', 'Invalid'), harness.invalidConfig.config);
      } catch (err) {
        caught = err;
      }
      expect(isFaultlineError(caught) && caught.code).to.equal('FAULTLINE_ERR_ALERT_CHANNEL_CONFIG');
      expect((caught as { path?: string }).path).to.equal(harness.invalidConfig.path);
      expect(await settled(harness)).to.have.length(0);
    });
  });
}

/** A message as an alert rule would raise it. */
export function alertMessage(id: string, title: string): AlertMessage {
  return {
    id,
    reason: 'issue:created',
    title,
    text: `${title}\nat handler (app.js:10:5)`,
    level: 'error',
    project: { id: 1, name: 'Checkout', slug: 'checkout' },
    issue: null,
    url: 'https://example.test/issues/1',
    createdAt: new Date(0).toISOString(),
  };
}

async function settled<C>(harness: AlertChannelHarness<C>): Promise<ReceivedAlert[]> {
  await new Promise((resolve) => setTimeout(resolve, 50));
  return harness.received();
}
