import { expect } from 'chai';
import { startTestServer, type TestServer } from '@faultline/core/testing';
import { errorEvent, postEvents } from './helpers/http.js';
import { recordingChannel, type RecordingChannel } from './helpers/recording-channel.js';
import { eventually } from './sentry-helpers.js';

/** A digest window may be longer than a delivery's deadline: the digest's deadline counts from its window's end. */
describe('alert digests longer than the delivery deadline', function () {
  this.timeout(30_000);
  let server: TestServer;
  let channel: RecordingChannel;

  before(async () => {
    channel = recordingChannel();
    server = await startTestServer({ plugins: [channel.plugin], alerts: { minuteMs: 1000, rulesCacheMs: 0, delivery: { attempts: 2, backoff: { initialMs: 50 }, deadlineMs: 300 } } });
  });
  after(async () => server?.stop());

  it('sends the digest when its window ends (in-memory storage)', async () => {
    await server.faultline.storage.createAlertRule({
      projectId: server.project.id, name: 'digest', enabled: true, trigger: { type: 'issue.created' }, filters: {},
      actions: [{ channel: 'record' }], throttleMinutes: 0, digestMinutes: 2,
    });
    const res = await postEvents(server, { events: [errorEvent({ type: 'LateDigestA' }), errorEvent({ type: 'LateDigestB' })] });
    expect(res.status).to.equal(202);
    await eventually(async () => channel.sent.length === 1, 'the digest', 100);
    expect(channel.sent[0].message.digest!.map((m) => m.issue!.type).sort()).to.deep.equal(['LateDigestA', 'LateDigestB']);
  });
});
