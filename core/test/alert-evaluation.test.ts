import { expect } from 'chai';
import { startPostgresTestServer, type PostgresTestServer } from '@faultline/plugin-storage-postgres/testing';
import type { AlertRule, NewAlertRule } from '../src/index.js';
import { api, errorEvent, postEvents } from './helpers/http.js';
import { recordingChannel, type RecordingChannel } from './helpers/recording-channel.js';
import { eventually } from './sentry-helpers.js';

const settle = (ms = 300) => new Promise((r) => setTimeout(r, ms));

/**
 * Rules evaluated from pubsub against a real Faultline on Postgres, delivering to a recording channel.
 * A rule's minute is shortened to 1 s (`alerts.minuteMs`) so windows pass within a test.
 */
describe('alert rules: triggers, filters, throttle, digest and delivery', function () {
  this.timeout(60_000);
  let server: PostgresTestServer;
  let channel: RecordingChannel;

  before(async () => {
    channel = recordingChannel();
    server = await startPostgresTestServer({
      plugins: [channel.plugin],
      alerts: {
        issueUrl: 'https://app.example.com/admin/errors#/issues/{id}',
        minuteMs: 1000,
        rulesCacheMs: 0,
        delivery: { attempts: 4, backoff: { initialMs: 100, factor: 1 }, deadlineMs: 20_000 },
      },
    });
  });
  after(async () => server?.stop());
  beforeEach(async () => {
    channel.sent.length = 0;
    channel.down = false;
    for (const rule of await server.faultline.storage.listAlertRules()) await server.faultline.storage.deleteAlertRule(rule.id);
  });

  async function addRule(rule: Partial<NewAlertRule> & Pick<NewAlertRule, 'trigger'>): Promise<AlertRule> {
    return server.faultline.storage.createAlertRule({
      projectId: server.project.id,
      name: 'rule',
      enabled: true,
      filters: {},
      actions: [{ channel: 'record', to: ['ops@example.com'] }],
      throttleMinutes: 0,
      digestMinutes: null,
      ...rule,
    });
  }
  async function send(...events: object[]): Promise<void> {
    const res = await postEvents(server, { events });
    expect(res.status).to.equal(202);
  }
  const titles = () => channel.sent.map((s) => s.message.title);

  it('issue.created: one alert per new issue, with the issue, its frames and a link; the log says sent', async () => {
    const rule = await addRule({ trigger: { type: 'issue.created' } });
    await send(errorEvent({ type: 'CreatedOnceError', value: '<script>alert(1)</script>' }));
    await eventually(async () => channel.sent.length === 1, 'an alert');
    await send(errorEvent({ type: 'CreatedOnceError', value: '<script>alert(1)</script>' }));
    await settle();
    expect(channel.sent).to.have.length(1);
    const { message, config } = channel.sent[0];
    expect(message.reason).to.equal('issue:created');
    expect(message.title).to.contain('New issue in Test project: CreatedOnceError');
    expect(message.url).to.equal(`https://app.example.com/admin/errors#/issues/${message.issue!.id}`);
    expect(message.event!.frames[0]).to.include({ function: 'cartTotal', lineno: 17 });
    expect(message.event!.environment).to.equal('test');
    expect(config).to.deep.equal({ to: ['ops@example.com'] });
    const log = await eventually(async () => {
      const list = await server.faultline.storage.listAlertDeliveries(rule.id);
      return list[0]?.status === 'sent' && list;
    }, 'sent in the log');
    expect(log).to.have.length(1);
    expect(log[0]).to.include({ attempts: 1, receiverId: 'r-1' });
    const metrics = await server.faultline.metrics.registry.metrics();
    expect(metrics).to.match(/faultline_alerts_triggered_total\{trigger="issue.created"\} [1-9]/);
    expect(metrics).to.match(/faultline_alert_deliveries_total\{channel="record",outcome="sent"\} [1-9]/);
  });

  it('filters by environment, release, level and tag values', async () => {
    await addRule({ name: 'prod', trigger: { type: 'issue.created' }, filters: { environment: ['production'] } });
    await addRule({ name: 'fatal', trigger: { type: 'issue.created' }, filters: { level: 'fatal' } });
    await addRule({ name: 'release', trigger: { type: 'issue.created' }, filters: { release: ['shop@1.0.0'] } });
    await addRule({ name: 'us', trigger: { type: 'issue.created' }, filters: { tags: { region: ['us'] } } });
    await addRule({ name: 'eu', trigger: { type: 'issue.created' }, filters: { tags: { region: ['eu', 'uk'] } } });
    await send(errorEvent({ type: 'FilteredError' }));
    await eventually(async () => channel.sent.length === 2, 'two alerts');
    await settle();
    expect(channel.sent.map((s) => s.message.rule!.name).sort()).to.deep.equal(['eu', 'release']);
  });

  it('issue.regressed: a resolved issue that gets an event alerts once', async () => {
    await addRule({ trigger: { type: 'issue.regressed' } });
    await send(errorEvent({ type: 'ComesBackError' }));
    const issue = await eventually(async () => (await api(server, `/projects/${server.project.id}/issues?query=ComesBackError`)).body.data?.[0], 'issue');
    await api(server, `/issues/${issue.id}`, { method: 'PATCH', body: { status: 'resolved' } });
    await settle(100);
    expect(channel.sent).to.have.length(0);
    await send(errorEvent({ type: 'ComesBackError' }));
    await eventually(async () => channel.sent.length === 1, 'a regression alert');
    expect(channel.sent[0].message.reason).to.equal('issue:regressed');
  });

  it('level with a throttle: one alert per issue per window, whatever the events', async () => {
    await addRule({ trigger: { type: 'level', level: 'error' }, throttleMinutes: 30 });
    await send(errorEvent({ type: 'ThrottledError' }), errorEvent({ type: 'ThrottledError' }));
    await send(errorEvent({ type: 'ThrottledError' }));
    await send({ ...errorEvent({ type: 'QuietWarning' }), level: 'warning' });
    await send(errorEvent({ type: 'OtherThrottledError' }));
    await eventually(async () => channel.sent.length === 2, 'two alerts');
    await settle();
    expect(channel.sent).to.have.length(2);
    expect(titles().some((t) => t.includes('OtherThrottledError'))).to.equal(true);
  });

  it('issue.frequency: fires when an issue passes N events in M minutes, once per crossing', async () => {
    await addRule({ trigger: { type: 'issue.frequency', count: 3, minutes: 30 } });
    await send(errorEvent({ type: 'BusyError' }), errorEvent({ type: 'BusyError' }));
    await settle();
    expect(channel.sent).to.have.length(0);
    await send(errorEvent({ type: 'BusyError' }), errorEvent({ type: 'BusyError' }));
    await eventually(async () => channel.sent.length === 1, 'a frequency alert');
    await send(errorEvent({ type: 'BusyError' }));
    await settle();
    expect(channel.sent).to.have.length(1);
    expect(channel.sent[0].message.reason).to.equal('issue:frequency');
    expect(channel.sent[0].message.text).to.contain('More than 3 events in 30 minutes');
  });

  it('project.frequency: fires once when crossed, again only after it fell back below', async () => {
    await addRule({ trigger: { type: 'project.frequency', count: 5, minutes: 2 } }); // 2 s here
    await send(...Array.from({ length: 6 }, (_, i) => errorEvent({ type: `SpikeError${i % 2}` })));
    await eventually(async () => channel.sent.length === 1, 'a spike alert');
    await send(errorEvent({ type: 'SpikeError0' }));
    await settle();
    expect(channel.sent, 'still above: no second alert').to.have.length(1);
    await settle(2500); // the window passes: the count falls below
    await send(errorEvent({ type: 'SpikeError0' }));
    await settle();
    expect(channel.sent, 'below again').to.have.length(1);
    await send(...Array.from({ length: 6 }, () => errorEvent({ type: 'SpikeError1' })));
    await eventually(async () => channel.sent.length === 2, 'a second crossing');
    expect(channel.sent[1].message.reason).to.equal('project:frequency');
  });

  it('digest mode: alerts of a window arrive as one message', async () => {
    await addRule({ trigger: { type: 'issue.created' }, digestMinutes: 2 }); // 2 s here
    await send(errorEvent({ type: 'DigestA' }), errorEvent({ type: 'DigestB' }));
    await send(errorEvent({ type: 'DigestC' }));
    await eventually(async () => channel.sent.length >= 1, 'a digest', 200);
    await settle(2500);
    const items = channel.sent.flatMap((s) => s.message.digest ?? []);
    expect(channel.sent.every((s) => s.message.reason === 'digest')).to.equal(true);
    expect(items.map((m) => m.issue!.type).sort()).to.deep.equal(['DigestA', 'DigestB', 'DigestC']);
    expect(channel.sent.length, 'one message unless the window ended between the posts').to.be.at.most(2);
  });

  it('a receiver down during a burst gets every alert exactly once when it is back', async () => {
    const rule = await addRule({ trigger: { type: 'issue.created' } });
    channel.down = true;
    await send(...Array.from({ length: 5 }, (_, i) => errorEvent({ type: `BurstError${i}` })));
    await eventually(async () => (await server.faultline.storage.listAlertDeliveries(rule.id)).some((d) => d.attempts >= 1), 'a failed attempt');
    channel.down = false;
    await eventually(async () => (await server.faultline.storage.listAlertDeliveries(rule.id, { status: 'sent' })).length === 5, 'all sent');
    await settle();
    expect(channel.sent.map((s) => s.message.issue!.type).sort()).to.deep.equal(['BurstError0', 'BurstError1', 'BurstError2', 'BurstError3', 'BurstError4']);
  });

  it('a delivery that keeps failing is recorded as failed with the error once its attempts are spent', async () => {
    const rule = await addRule({ trigger: { type: 'issue.created' } });
    channel.down = true;
    await send(errorEvent({ type: 'NeverDeliveredError' }));
    const failed = await eventually(async () => (await server.faultline.storage.listAlertDeliveries(rule.id, { status: 'failed' }))[0], 'failed');
    expect(failed).to.include({ attempts: 4, error: 'receiver is down' });
    const dead = await server.faultline.jobs.listDeadLetters({ type: 'alert:deliver' });
    expect(dead.map((d) => d.id)).to.include(`alert:${failed.id}`);
  });
});
