import { expect } from 'chai';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultQueuePath, fileStore } from '../src/node/file-store.js';
import { createTransport } from '../src/transports/transport.js';
import { FakeClock, settle } from './helpers/fake-clock.js';

/** Waits for real file I/O (not time): settles the event loop until `ok`, at most 500 rounds. */
async function waitUntil(ok: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !ok(); i++) await settle();
}
import { makeEvent, scriptedSender } from './helpers/events.js';

describe('Node file queue', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'faultline-queue-test-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips the queue and removes the file when it is empty', async () => {
    const path = join(dir, 'q.json');
    const store = fileStore(path);
    expect(await store.load()).to.deep.equal([]);
    const events = [makeEvent(), makeEvent()];
    await store.save(events);
    expect(await fileStore(path).load()).to.deep.equal(events);
    await store.save([]);
    expect(readdirSync(dir)).to.deep.equal([]);
  });

  it('reads a damaged file as an empty queue', async () => {
    const path = join(dir, 'q.json');
    writeFileSync(path, '{"half');
    expect(await fileStore(path).load()).to.deep.equal([]);
  });

  it('keeps what a run could not send, bounded, for the next run to send', async () => {
    const path = join(dir, 'q.json');
    const clock = new FakeClock();
    const down = createTransport({ send: scriptedSender('network-error').send, store: fileStore(path), timers: clock, maxQueue: 2 });
    const events = [makeEvent(), makeEvent(), makeEvent()];
    for (const e of events) down.add(e);
    // flush resolves only after the queue file is written (here: false, the network is down)
    const saved = down.flush(10);
    await clock.tick(10);
    expect(await saved).to.equal(false);
    expect((await fileStore(path).load()).map((e) => e.event_id)).to.deep.equal(events.slice(1).map((e) => e.event_id));

    const server = scriptedSender({ status: 202 });
    const up = createTransport({ send: server.send, store: fileStore(path), timers: clock });
    // the stored queue loads in the background; wait for it, then flush until sent and saved
    await waitUntil(() => up.stats().queued === 2);
    const sent = up.flush(1000);
    await clock.tick(0);
    expect(await sent).to.equal(true);
    expect(server.ids()).to.deep.equal(events.slice(1).map((e) => e.event_id));
    expect(readdirSync(dir)).to.deep.equal([]);
  });

  it('names one default file per endpoint and key', () => {
    const a = defaultQueuePath('http://h/api/v1/events', 'k1');
    expect(a).to.equal(defaultQueuePath('http://h/api/v1/events', 'k1'));
    expect(a).not.to.equal(defaultQueuePath('http://h/api/v1/events', 'k2'));
  });
});
