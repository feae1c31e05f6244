import { fileURLToPath, pathToFileURL } from 'node:url';
import { expect } from 'chai';
import { pino } from 'pino';
import { createTestDatabase, type TestDatabase } from '@faultline/plugin-storage-postgres/testing';
import { alertsCreateCommand, alertsListCommand, alertsTestCommand } from '../src/cli/alerts-command.js';
import type { CliContext } from '../src/cli/open-faultline.js';
import { createProjectWithKey, createFaultline } from '../src/index.js';
import { storagePostgres } from '@faultline/plugin-storage-postgres';
import type { RecordingChannel } from './helpers/recording-channel.js';

const plugin = fileURLToPath(new URL('./fixtures/recording-channel-plugin.ts', import.meta.url));

describe('faultline alerts list|create|test', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let ctx: CliContext;
  let projectId: number;
  let shared: RecordingChannel;

  before(async () => {
    // The module as the CLI's plugin loader imports it (by path), so both see one recorder.
    shared = (await import(pathToFileURL(plugin).href)).shared;
    db = await createTestDatabase();
    const setup = await createFaultline({ logger: pino({ level: 'silent' }), defaultMetrics: false, plugins: [storagePostgres({ url: db.url })] });
    projectId = (await createProjectWithKey(setup.storage, { name: 'CLI' })).project.id;
    await setup.stop();
    ctx = { config: { plugins: [['@faultline/plugin-storage-postgres', { url: db.url }], plugin], defaultMetrics: false }, log: pino({ level: 'silent' }) };
  });
  after(async () => db?.drop());

  it('creates a rule, lists it with its secret masked, and sends a test message through each action', async () => {
    const lines: string[] = [];
    const rule = { name: 'Spikes', trigger: { type: 'project.frequency', count: 100, minutes: 1 }, actions: [{ channel: 'record', url: 'https://hooks.example.test/T1/B2/secret-token-xyz1' }] };
    await alertsCreateCommand(ctx, { project: String(projectId), rule: JSON.stringify(rule), json: true }, (l) => lines.push(l));
    const created = JSON.parse(lines[0]);
    expect(created).to.include({ name: 'Spikes', projectId });
    expect(created.actions[0].url).to.equal('****xyz1');

    lines.length = 0;
    await alertsListCommand(ctx, { project: String(projectId) }, (l) => lines.push(l));
    expect(lines).to.have.length(1);
    expect(lines[0]).to.contain('Spikes').and.contain('project.frequency > 100 in 1 min').and.not.contain('secret-token');

    lines.length = 0;
    await alertsTestCommand(ctx, created.id, {}, (l) => lines.push(l));
    expect(lines).to.deep.equal(['actions[0] record: sent']);
    expect(shared.sent.at(-1)!.message.reason).to.equal('test');
    expect(shared.sent.at(-1)!.config.url).to.equal('https://hooks.example.test/T1/B2/secret-token-xyz1');
  });

  it('refuses a bad rule naming the field, and a failing test exits with an error', async () => {
    const bad = { name: 'x', trigger: { type: 'issue.frequency', count: 5 }, actions: [{ channel: 'record' }] };
    let caught: any;
    await alertsCreateCommand(ctx, { project: String(projectId), rule: JSON.stringify(bad) }, () => undefined).catch((err) => (caught = err));
    expect(caught?.path).to.equal('trigger.minutes');

    const lines: string[] = [];
    await alertsCreateCommand(ctx, { project: String(projectId), rule: JSON.stringify({ name: 'y', trigger: { type: 'issue.created' }, actions: [{ channel: 'record' }] }), json: true }, (l) => lines.push(l));
    shared.down = true;
    caught = undefined;
    await alertsTestCommand(ctx, JSON.parse(lines[0]).id, {}, () => undefined).catch((err) => (caught = err));
    shared.down = false;
    expect(caught?.code).to.equal('FAULTLINE_ERR_UNAVAILABLE');
  });
});
