import { expect } from 'chai';
import { AlertChannelRegistry, type AlertMessage } from '@faultline/core';
import { alertChannelContract, alertMessage, startHttpReceiver, type HttpReceiver } from '@faultline/core/testing';
import { slackChannel } from '../src/index.js';

alertChannelContract(async () => {
  const receiver = await startHttpReceiver();
  return {
    channel: slackChannel(),
    config: { webhookUrl: `${receiver.url}/services/T1/B1/hook` },
    failingConfig: { webhookUrl: `${receiver.url}/gone` },
    invalidConfig: { config: { webhookUrl: 'not a url' }, path: 'config.webhookUrl' },
    async received() {
      return receiver.received.map((r) => ({ messageId: null, text: r.body }));
    },
    close: () => receiver.close(),
  };
}, 'slack (HTTP on loopback)');

function richMessage(): AlertMessage {
  return {
    ...alertMessage('slack-1', 'New issue in Checkout: TypeError: <@U123> & <!channel>'),
    level: 'fatal',
    url: 'https://app.example.com/admin/errors#/issues/42',
    issue: {
      id: '42', projectId: 1, title: 'TypeError: <@U123> & <!channel>', culprit: 'cart.js in total', type: 'TypeError', value: '<@U123> & <!channel>',
      level: 'fatal', status: 'unresolved', count: 7, userCount: 2, firstSeen: '2026-01-01T00:00:00.000Z', lastSeen: '2026-01-02T00:00:00.000Z',
      release: 'shop@2.1.0', environment: 'production', platform: 'node', fingerprint: 'f', groupingVersion: '1',
    },
    event: {
      eventId: 'e1', environment: 'production', release: 'shop@2.1.0', message: '<@U123> & <!channel>', tags: {},
      frames: [{ filename: 'src/cart.js', function: 'cartTotal', lineno: 17, colno: 23 }],
    },
  };
}

describe('slack channel', function () {
  this.timeout(20_000);
  let receiver: HttpReceiver;
  let registry: AlertChannelRegistry;
  beforeEach(async () => {
    receiver = await startHttpReceiver();
    registry = new AlertChannelRegistry();
    registry.register('test', slackChannel({ maxRetryAfterMs: 2000 }));
  });
  afterEach(() => receiver.close());

  it('posts Block Kit: a header, key fields, the top frame and a link, in the level colour; event text cannot mention or link', async () => {
    await registry.send('slack', richMessage(), { webhookUrl: `${receiver.url}/hook` });
    const body = JSON.parse(receiver.received[0].body);
    expect(receiver.received[0].headers['content-type']).to.equal('application/json');
    expect(body.text).to.equal('New issue in Checkout: TypeError: &lt;@U123&gt; &amp; &lt;!channel&gt;');
    const [attachment] = body.attachments;
    expect(attachment.color).to.equal('#8b0000');
    const types = attachment.blocks.map((b: { type: string }) => b.type);
    expect(types).to.deep.equal(['header', 'section', 'section', 'context', 'actions']);
    expect(attachment.blocks[0].text).to.deep.equal({ type: 'plain_text', text: 'New issue in Checkout: TypeError: <@U123> & <!channel>', emoji: false });
    const fields = attachment.blocks[1].fields.map((f: { text: string }) => f.text);
    expect(fields).to.include.members(['*Project*\nCheckout', '*Level*\nfatal', '*Environment*\nproduction', '*Release*\nshop@2.1.0', '*Events*\n7']);
    expect(attachment.blocks[2].text.text).to.equal('```&lt;@U123&gt; &amp; &lt;!channel&gt;```');
    expect(attachment.blocks[3].elements[0].text).to.equal('at `cartTotal (src/cart.js:17:23)`');
    expect(attachment.blocks[4].elements[0]).to.include({ type: 'button', url: 'https://app.example.com/admin/errors#/issues/42' });
    // Only plain_text (never parsed by Slack) holds the text as it is; every mrkdwn text is escaped.
    const mrkdwn = JSON.stringify(attachment.blocks.slice(1));
    expect(mrkdwn).not.to.contain('<@U123>');
  });

  it('honours 429 with Retry-After: waits, then sends once', async () => {
    receiver.refuseNext(2, 429, { 'retry-after': '1' });
    const started = Date.now();
    await registry.send('slack', richMessage(), { webhookUrl: `${receiver.url}/hook` });
    expect(receiver.all).to.have.length(3);
    expect(receiver.received).to.have.length(1);
    expect(Date.now() - started).to.be.at.least(1900);
  });

  it('a Retry-After longer than it will wait fails the attempt, retryable, naming the wait but not the URL', async () => {
    receiver.refuseNext(1, 429, { 'retry-after': '120' });
    const err: any = await registry.send('slack', richMessage(), { webhookUrl: `${receiver.url}/secret-path` }).catch((e) => e);
    expect(err.code).to.equal('FAULTLINE_ERR_UNAVAILABLE');
    expect(err.retryAfter).to.equal(120);
    expect(err.message).not.to.contain('secret-path');
    expect(receiver.received).to.have.length(0);
  });

  it('a revoked webhook (404) fails for good: a 400 the delivery job does not retry', async () => {
    const err: any = await registry.send('slack', richMessage(), { webhookUrl: `${receiver.url}/gone` }).catch((e) => e);
    expect(err.status).to.equal(400);
  });
});
