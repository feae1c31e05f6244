import { expect } from 'chai';
import { createTestDatabase, type TestDatabase } from '@faultline/plugin-storage-postgres/testing';
import { expectedIssueCounts, sendLoad } from './helpers/clients.js';
import { cluster, runCli, type Cluster } from './helpers/cluster.js';
import { readStored, sql, type Stored } from './helpers/database.js';
import { eventId } from './helpers/events.js';
import { startCli, type CliProcess } from './helpers/processes.js';
import { clearPrefix, REDIS_URL, testPrefix } from './helpers/redis.js';
import { startOwnRedis, type OwnRedis } from './helpers/redis-server.js';
import { freePort } from '@faultline/plugin-storage-postgres/testing';

async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 100));
}

/** Waits until the workers have stored `events` events, then reads what the database holds. */
async function storedOnce(databaseUrl: string, projectId: number, events: number): Promise<Stored> {
  await until(async () => (await readStored(databaseUrl, projectId)).events >= events);
  return readStored(databaseUrl, projectId);
}

/**
 * Faultline split into processes on Redis and PostgreSQL, every process a real child that the test starts
 * and kills by its pid: what is acknowledged is stored exactly once, whatever happens to a worker or Redis.
 */
describe('queue-redis: ingest nodes and workers as processes', function () {
  this.timeout(180_000);
  let database: TestDatabase;
  let prefix: string;
  let nodes: Cluster;
  let redis: OwnRedis | null;
  beforeEach(async () => {
    database = await createTestDatabase();
    prefix = testPrefix();
    redis = null;
  });
  afterEach(async () => {
    await nodes?.close();
    await database.drop();
    await redis?.remove();
    await clearPrefix(prefix);
  });

  it('a worker SIGKILLed and another SIGTERMed mid-run lose nothing acknowledged and count nothing twice', async () => {
    nodes = await cluster(database.url, { url: REDIS_URL, prefix, queue: { stallIntervalMs: 1000 } });
    const project = await nodes.project('Kill a worker');
    const ingest = await nodes.ingest();
    const victim = await nodes.worker();
    const stopping = await nodes.worker();
    let killed = false;
    let terminated = false;
    let replacement: Promise<CliProcess> | undefined;
    const load = await sendLoad({
      urls: () => [ingest.url],
      publicKey: project.publicKey,
      clients: 6,
      requests: 500,
      perRequest: 5,
      onAcknowledged(total) {
        if (!killed && total >= 800) {
          killed = true;
          victim.signal('SIGKILL');
          replacement = nodes.worker();
        }
        if (!terminated && total >= 1600) {
          terminated = true;
          stopping.signal('SIGTERM'); // finishes or hands back its jobs, then exits 0
        }
      },
    });
    expect(killed).to.equal(true);
    expect(await victim.exited).to.equal('SIGKILL');
    expect(await stopping.exited).to.equal(0);
    await replacement; // a worker started while the load ran, as an orchestrator would
    const stored = await storedOnce(database.url, project.id, 2500);
    expect(stored).to.deep.equal({ events: 2500, distinctEvents: 2500, issueCounts: expectedIssueCounts(load) });
    // Jobs the victim held when it died were handed on by the stall check; without it they stay active
    // forever and this never sees 2,500 events.
  });

  it('PostgreSQL cutting every worker connection mid-run: failed commits are retried, each event stored once', async () => {
    nodes = await cluster(database.url, { url: REDIS_URL, prefix, queue: { retryDelayMs: 100 } });
    const project = await nodes.project('Database blips');
    const ingest = await nodes.ingest();
    await nodes.worker();
    await nodes.worker();
    const cuts: Promise<unknown>[] = [];
    const cutAt = [500, 1000];
    const load = await sendLoad({
      urls: () => [ingest.url],
      publicKey: project.publicKey,
      clients: 4,
      requests: 300,
      perRequest: 5,
      onAcknowledged(total) {
        if (cutAt.length > 0 && total >= cutAt[0]) {
          cutAt.shift();
          const name = new URL(database.url).pathname.slice(1);
          cuts.push(sql(database.url, 'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]));
        }
      },
    });
    await Promise.all(cuts);
    const stored = await storedOnce(database.url, project.id, 1500);
    expect(stored).to.deep.equal({ events: 1500, distinctEvents: 1500, issueCounts: expectedIssueCounts(load) });
  });

  it('two ingest nodes and two workers give the same totals as one process', async () => {
    const ids = Array.from({ length: 120 }, () => Array.from({ length: 5 }, () => eventId()));
    const load = { clients: 4, requests: 120, perRequest: 5, ids };

    // One process, no Redis: today's single process.
    const single = await createTestDatabase();
    let alone: CliProcess | null = null;
    let aloneStored: Stored;
    try {
      const env = { FAULTLINE_DATABASE_URL: single.url, FAULTLINE_REDIS_URL: '' };
      const created = await runCli(['project', 'create', 'Same totals', '--json'], env);
      const project = JSON.parse(created.stdout);
      const port = await freePort();
      alone = await startCli(['serve', '--port', String(port)], env, 'faultline listening');
      const sent = await sendLoad({ ...load, urls: () => [`http://127.0.0.1:${port}`], publicKey: project.publicKey });
      aloneStored = await storedOnce(single.url, project.id, 600);
      expect(aloneStored.issueCounts).to.deep.equal(expectedIssueCounts(sent));
    } finally {
      alone?.signal('SIGTERM');
      await alone?.exited;
      await single.drop();
    }

    nodes = await cluster(database.url, { url: REDIS_URL, prefix });
    const project = await nodes.project('Same totals');
    const ingests = [await nodes.ingest(), await nodes.ingest()];
    await nodes.worker();
    await nodes.worker();
    await sendLoad({ ...load, urls: () => ingests.map((i) => i.url), publicKey: project.publicKey });
    expect(await storedOnce(database.url, project.id, 600)).to.deep.equal(aloneStored);
  });

  it('Redis stopped mid-run: ingest answers 503, the clients\' retries succeed once it is back, nothing acknowledged is lost', async () => {
    redis = await startOwnRedis();
    const own = redis;
    nodes = await cluster(database.url, { url: own.url, prefix, queue: { stallIntervalMs: 1000, enqueueTimeoutMs: 500 } });
    const project = await nodes.project('Redis goes away');
    const ingest = await nodes.ingest();
    await nodes.worker();
    let stopped = false;
    let outage: Promise<void> | null = null;
    let metOutage: () => void = () => undefined;
    const clientsMetOutage = new Promise<void>((resolve) => (metOutage = resolve));
    const load = await sendLoad({
      urls: () => [ingest.url],
      publicKey: project.publicKey,
      clients: 4,
      requests: 300,
      perRequest: 5,
      onRetried(status) {
        if (status === 503) metOutage();
      },
      onAcknowledged(total) {
        if (stopped || total < 400) return;
        stopped = true;
        outage = (async () => {
          await own.kill();
          await clientsMetOutage;
          await own.restart();
        })();
      },
    });
    await outage;
    expect(load.retried[503], JSON.stringify(load.retried)).to.be.greaterThan(0);
    const stored = await storedOnce(database.url, project.id, 1500);
    expect(stored).to.deep.equal({ events: 1500, distinctEvents: 1500, issueCounts: expectedIssueCounts(load) });
  });
});
