import { expect } from 'chai';
import { startPostgresTestServer, type PostgresTestServer } from '@faultline/plugin-storage-postgres/testing';
import { createToken } from '../src/index.js';
import { api } from './helpers/http.js';
import { recordingChannel } from './helpers/recording-channel.js';

const SECRET_URL = 'https://hooks.example.test/services/T000/B000/very-secret-part-9f3c';

describe('alert rules API', function () {
  this.timeout(60_000);
  let server: PostgresTestServer;
  let admin: string;

  before(async () => {
    server = await startPostgresTestServer({ plugins: [recordingChannel().plugin] });
    admin = (await createToken(server.faultline.storage, { role: 'admin', projectIds: [server.project.id], label: 'rules' })).token;
  });
  after(async () => server?.stop());

  const rules = (suffix = '') => `/projects/${server.project.id}/alert-rules${suffix}`;
  const rule = {
    name: 'New errors',
    trigger: { type: 'issue.created' },
    filters: { level: 'error', environment: ['production'] },
    actions: [{ channel: 'record', url: SECRET_URL, to: ['ops@example.com'] }],
    throttleMinutes: 30,
  };

  it('creates, lists, reads, changes and deletes a rule; secrets are answered masked', async () => {
    const created = await api(server, rules(), { method: 'POST', body: rule, token: admin });
    expect(created.status).to.equal(201);
    expect(created.body).to.include({ name: 'New errors', projectId: server.project.id, enabled: true, throttleMinutes: 30, digestMinutes: null });
    expect(created.body.actions[0].url).to.equal('****9f3c');
    expect(JSON.stringify(created.body)).not.to.contain('very-secret');

    const listed = await api(server, rules(), { token: admin });
    expect(listed.body.data.map((r: { id: string }) => r.id)).to.deep.equal([created.body.id]);
    expect(JSON.stringify(listed.body)).not.to.contain('very-secret');

    // The masked value sent back keeps the stored secret.
    const patched = await api(server, rules(`/${created.body.id}`), { method: 'PATCH', body: { name: 'Renamed', actions: created.body.actions }, token: admin });
    expect(patched.status).to.equal(200);
    expect(patched.body.name).to.equal('Renamed');
    const stored = await server.faultline.storage.getAlertRule(created.body.id);
    expect(stored!.actions[0].url).to.equal(SECRET_URL);

    expect((await api(server, rules(`/${created.body.id}`), { method: 'DELETE', token: admin })).status).to.equal(204);
    expect((await api(server, rules(`/${created.body.id}`), { token: admin })).status).to.equal(404);
  });

  for (const [what, body, path] of [
    ['a missing trigger', { name: 'x', actions: [{ channel: 'record' }] }, 'trigger'],
    ['an unknown trigger type', { ...rule, trigger: { type: 'issue.exploded' } }, 'trigger.type'],
    ['a frequency without minutes', { ...rule, trigger: { type: 'issue.frequency', count: 100 } }, 'trigger.minutes'],
    ['a count below 1', { ...rule, trigger: { type: 'project.frequency', count: 0, minutes: 1 } }, 'trigger.count'],
    ['a bad time zone', { ...rule, trigger: { type: 'summary', period: 'daily', timezone: 'Mars/Olympus' } }, 'trigger.timezone'],
    ['a bad level filter', { ...rule, filters: { level: 'loud' } }, 'filters.level'],
    ['no actions', { ...rule, actions: [] }, 'actions'],
    ['an unknown channel', { ...rule, actions: [{ channel: 'pigeon' }] }, 'actions[0].channel'],
    ['a bad address in a channel config', { ...rule, actions: [{ channel: 'record', to: ['ops@example.com', 'not an address'] }] }, 'actions[0].to[1]'],
    ['an unknown field', { ...rule, colour: 'red' }, 'colour'],
  ] as const) {
    it(`answers 400 naming the field for ${what}`, async () => {
      const res = await api(server, rules(), { method: 'POST', body, token: admin });
      expect(res.status, JSON.stringify(res.body)).to.equal(400);
      expect(res.body.error.path).to.equal(path);
    });
  }

  it('needs the admin role of the project; another project sees 404', async () => {
    expect((await api(server, rules(), { method: 'POST', body: rule })).status).to.equal(403); // member token
    const other = await server.createProject('Other');
    const otherAdmin = (await createToken(server.faultline.storage, { role: 'admin', projectIds: [other.id], label: 'other' })).token;
    expect((await api(server, rules(), { token: otherAdmin })).status).to.equal(404);
  });

  it('lists a rule\'s deliveries, newest first', async () => {
    const created = await api(server, rules(), { method: 'POST', body: rule, token: admin });
    const storage = server.faultline.storage;
    for (const key of ['a', 'b']) {
      await storage.createAlertDelivery({ ruleId: created.body.id, projectId: server.project.id, key, action: 0, channel: 'record', issueId: null, reason: 'test', status: 'pending', digestKey: null, message: { key } });
    }
    expect(await storage.createAlertDelivery({ ruleId: created.body.id, projectId: server.project.id, key: 'a', action: 0, channel: 'record', issueId: null, reason: 'test', status: 'pending', digestKey: null, message: {} })).to.equal(null);
    const res = await api(server, rules(`/${created.body.id}/deliveries`), { token: admin });
    expect(res.status).to.equal(200);
    expect(res.body.data.map((d: { key: string }) => d.key)).to.deep.equal(['b', 'a']);
  });
});
