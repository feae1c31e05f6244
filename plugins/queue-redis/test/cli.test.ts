import { expect } from 'chai';
import { createTestDatabase, type TestDatabase } from '@faultline/plugin-storage-postgres/testing';
import { cluster, runCli, type Cluster } from './helpers/cluster.js';
import { readStored, sql } from './helpers/database.js';
import { errorEvent, postEvents } from './helpers/events.js';
import { groupedEvent, testQueue } from './helpers/grouped.js';
import { clearPrefix, REDIS_URL, testPrefix } from './helpers/redis.js';

async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 50));
}

describe('queue-redis: faultline worker, serve --no-process, queue dead-letters', function () {
  this.timeout(90_000);
  let database: TestDatabase;
  let prefix: string;
  let nodes: Cluster;
  beforeEach(async () => {
    database = await createTestDatabase();
    prefix = testPrefix();
    nodes = await cluster(database.url, { url: REDIS_URL, prefix, queue: { stallIntervalMs: 1000 } });
  });
  afterEach(async () => {
    await nodes.close();
    await database.drop();
    await clearPrefix(prefix);
  });

  it('refuses to split work without a shared queue, naming FAULTLINE_REDIS_URL', async () => {
    for (const args of [['serve', '--no-process', '--port', '0'], ['worker']]) {
      const res = await runCli(args, { FAULTLINE_DATABASE_URL: database.url, FAULTLINE_REDIS_URL: '' });
      expect(res.code, args.join(' ')).to.equal(1);
      expect(res.stderr).to.include('FAULTLINE_ERR_CONFIG_INVALID').and.include('FAULTLINE_REDIS_URL');
    }
  });

  it('FAULTLINE_REDIS_URL alone turns the Redis plugin on', async () => {
    const res = await runCli(['queue', 'dead-letters', 'list', '--json'], { FAULTLINE_DATABASE_URL: database.url, FAULTLINE_REDIS_URL: REDIS_URL });
    expect(res.code, res.stderr).to.equal(0);
    expect(JSON.parse(res.stdout)).to.be.an('array');
  });

  it('an ingest node answers 202 and a worker stores the events; SIGTERM stops each cleanly', async () => {
    const project = await nodes.project('Split');
    const ingest = await nodes.ingest();
    const worker = await nodes.worker();
    const sent: string[] = [];
    for (let i = 0; i < 10; i++) {
      const events = [errorEvent('A'), errorEvent('B'), errorEvent('A')];
      const res = await postEvents(ingest.url, project.publicKey, events);
      expect(res.status).to.equal(202);
      sent.push(...res.body.ids);
    }
    await until(async () => (await readStored(database.url, project.id)).events === 30);
    expect(await readStored(database.url, project.id)).to.deep.equal({ events: 30, distinctEvents: 30, issueCounts: { ScaleErrorA: 20, ScaleErrorB: 10 } });

    worker.signal('SIGTERM');
    ingest.signal('SIGTERM');
    expect(await worker.exited).to.equal(0);
    expect(await ingest.exited).to.equal(0);
    expect(worker.log()).to.include('"msg":"faultline stopped"');
  });

  it('dead-letters list shows a batch that failed every retry, and replay stores it once it can be', async () => {
    const worker = await nodes.worker();
    // A batch for a project that does not exist yet: storage refuses it every time.
    const producer = testQueue(prefix, { queue: { retries: 0 } });
    await producer.start();
    const event = { ...groupedEvent(), projectId: 424242 };
    await producer.enqueue([event]);
    await producer.stop();
    let letters: any[] = [];
    await until(async () => {
      const res = await nodes.run(['queue', 'dead-letters', 'list', '--json']);
      letters = res.code === 0 ? JSON.parse(res.stdout) : [];
      return letters.length === 1;
    });
    expect(letters[0].eventIds).to.deep.equal([event.eventId]);
    expect(letters[0].projectIds).to.deep.equal([424242]);
    expect(letters[0].error).to.match(/foreign key|violates/i);

    await sql(database.url, "INSERT INTO projects (id, slug, name) VALUES (424242, 'late', 'Late')");
    const replay = await nodes.run(['queue', 'dead-letters', 'replay', '--json']);
    expect(replay.code, replay.stderr).to.equal(0);
    expect(JSON.parse(replay.stdout)).to.deep.equal({ replayed: 1 });
    await until(async () => (await readStored(database.url, 424242)).events === 1);
    worker.signal('SIGTERM');
    expect(await worker.exited).to.equal(0);
  });
});
