import { expect } from 'chai';
import { pino } from 'pino';
import { startPostgresTestServer, type PostgresTestServer } from '@faultline/plugin-storage-postgres/testing';
import { storagePostgres } from '@faultline/plugin-storage-postgres';
import { createFaultline, definePlugin, InProcessPubSub, type Faultline, type NewAlertRule } from '../src/index.js';
import { errorEvent, postEvents } from './helpers/http.js';
import { recordingChannel, type RecordingChannel } from './helpers/recording-channel.js';
import { eventually } from './sentry-helpers.js';

const settle = (ms = 500) => new Promise((r) => setTimeout(r, ms));

/**
 * Two Faultline instances on one database, sharing one pubsub as a Redis one would (each gets every
 * message): an alert is sent once, counts are not doubled, a summary goes out once.
 */
describe('alerts with two nodes on one database', function () {
  this.timeout(60_000);
  let server: PostgresTestServer;
  let second: Faultline;
  let channel: RecordingChannel;

  before(async () => {
    channel = recordingChannel();
    const pubsub = new InProcessPubSub();
    const shared = definePlugin({ name: 'shared-pubsub', core: '*', setup: (ctx) => ctx.provide('pubsub', pubsub) });
    const alerts = { minuteMs: 1000, rulesCacheMs: 0, summaryCron: '* * * * * *', delivery: { attempts: 3, backoff: { initialMs: 100 } } };
    server = await startPostgresTestServer({ plugins: [shared, channel.plugin], alerts });
    second = await createFaultline({
      logger: pino({ level: 'silent' }),
      defaultMetrics: false,
      plugins: [storagePostgres({ url: server.database.url }), shared, channel.plugin],
      alerts,
    });
  });
  after(async () => {
    await second?.stop();
    await server?.stop();
  });
  beforeEach(async () => {
    channel.sent.length = 0;
    for (const rule of await server.faultline.storage.listAlertRules()) await server.faultline.storage.deleteAlertRule(rule.id);
  });

  const rule = (r: Partial<NewAlertRule> & Pick<NewAlertRule, 'trigger'>) =>
    server.faultline.storage.createAlertRule({
      projectId: server.project.id,
      name: r.trigger.type,
      enabled: true,
      filters: {},
      actions: [{ channel: 'record' }],
      throttleMinutes: 0,
      digestMinutes: null,
      ...r,
    });

  it('both nodes evaluate every message; each alert is sent once and a threshold fires once', async () => {
    await rule({ trigger: { type: 'issue.created' } });
    await rule({ trigger: { type: 'project.frequency', count: 4, minutes: 30 } });
    const res = await postEvents(server, { events: Array.from({ length: 3 }, () => errorEvent({ type: 'TwoNodeError' })) });
    expect(res.status).to.equal(202);
    await eventually(async () => channel.sent.length === 1, 'the new-issue alert');
    await settle();
    expect(channel.sent.map((s) => s.message.reason)).to.deep.equal(['issue:created']);
    // 3 events so far: not above 4. Two more make 5 (had each node counted the stream, 3 would have been 6).
    await postEvents(server, { events: [errorEvent({ type: 'TwoNodeError' })] });
    await settle();
    expect(channel.sent).to.have.length(1);
    await postEvents(server, { events: [errorEvent({ type: 'TwoNodeError' })] });
    await eventually(async () => channel.sent.length === 2, 'the spike alert');
    await settle();
    expect(channel.sent.map((s) => s.message.reason)).to.deep.equal(['issue:created', 'project:frequency']);
  });

  it('a daily summary at its hour is sent exactly once', async () => {
    const res = await postEvents(server, { events: [errorEvent({ type: 'SummarizedError' }), errorEvent({ type: 'SummarizedError' })] });
    expect(res.status).to.equal(202);
    await eventually(async () => (await server.faultline.storage.countEvents(server.project.id, { since: new Date(0), limit: 1000 })) >= 2, 'stored');
    // The period that ends at this hour (UTC) is due now; the schedule fires every second on both nodes.
    const hour = new Date().getUTCHours();
    await rule({ trigger: { type: 'summary', period: 'daily', hour, timezone: 'UTC' } });
    await eventually(async () => channel.sent.length >= 1, 'a summary', 100);
    await settle(2500); // several more slots on both nodes
    expect(channel.sent).to.have.length(1);
    const { message } = channel.sent[0];
    expect(message.reason).to.equal('summary');
    expect(message.title).to.match(/^Daily summary for Test project/);
    expect(message.summary!.period).to.equal('daily');
  });
});
