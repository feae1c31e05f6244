import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { createTestDatabase, startPostgresTestServer, type TestDatabase, type PostgresTestServer } from '@faultline/plugin-storage-postgres/testing';

const serverScript = fileURLToPath(new URL('./fixtures/servers/ingest-server.ts', import.meta.url));
const tsx = import.meta.resolve('tsx');
const MB = 1024 * 1024;

/** A valid native batch of about `bytes` bytes: events with a long string in extra (trimmed when stored). */
function bigBody(bytes: number): Buffer {
  const perEvent = 512 * 1024;
  const events = Array.from({ length: Math.max(1, Math.round(bytes / perEvent)) }, (_, i) => ({ message: `big ${i}`, level: 'error', extra: { blob: 'x'.repeat(perEvent - 96) } }));
  return Buffer.from(JSON.stringify({ events }));
}

/** POSTs a body, with Content-Length or chunked; resolves with the status and Retry-After, never rejects. */
function post(url: string, key: string, body: Buffer, chunked: boolean): Promise<{ status: number; retryAfter: string | null; code?: string }> {
  return new Promise((resolve) => {
    const headers: Record<string, string | number> = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    if (!chunked) headers['content-length'] = body.length;
    const req = request(`${url}/api/v1/events`, { method: 'POST', headers }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => {
        let code: string | undefined;
        try {
          code = JSON.parse(text)?.error?.code;
        } catch {
          /* not JSON */
        }
        resolve({ status: res.statusCode ?? 0, retryAfter: (res.headers['retry-after'] as string) ?? null, code });
      });
    });
    req.on('error', () => resolve({ status: 0, retryAfter: null })); // the server may close a connection it stopped reading
    for (let i = 0; i < body.length; i += 256 * 1024) req.write(body.subarray(i, i + 256 * 1024));
    req.end();
  });
}

/** Peak and current resident memory of a process, from /proc (Linux). */
function memoryOf(pid: number): { peakMb: number; rssMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)![1]);
  return { peakMb: kb('VmHWM') / 1024, rssMb: kb('VmRSS') / 1024 };
}

describe('ingest: request-body bytes in flight are bounded', function () {
  this.timeout(120_000);

  describe('per key', () => {
    let server: PostgresTestServer;
    before(async () => {
      server = await startPostgresTestServer({ limits: { maxKeyBodyBytesInFlight: 2 * MB } as any });
    });
    after(() => server?.stop());

    it('a key whose bodies fill its share gets 503 with Retry-After; another key still gets in', async () => {
      const other = await server.createProject('Other');
      // A body that announces 1.5 MB and sends half: held by the server until it ends.
      const held = request(`${server.url}/api/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.project.publicKey}`, 'content-type': 'application/json', 'content-length': String(1.5 * MB) },
      });
      held.on('error', () => undefined);
      held.write(Buffer.alloc(0.75 * MB, 0x20));
      const small = bigBody(MB);
      let refused: Awaited<ReturnType<typeof post>> | undefined;
      for (let i = 0; i < 50 && !refused; i++) {
        const res = await post(server.url, server.project.publicKey, small, false);
        if (res.status === 503) refused = res;
      }
      expect(refused, 'a 503 for the key whose share is taken').to.not.equal(undefined);
      expect(refused!.code).to.equal('FAULTLINE_ERR_INGEST_OVERLOADED');
      expect(Number(refused!.retryAfter)).to.be.greaterThan(0);
      expect((await post(server.url, other.publicKey, small, false)).status).to.equal(202);
      held.destroy();
      let status = 0;
      for (let i = 0; i < 50 && status !== 202; i++) status = (await post(server.url, server.project.publicKey, small, true)).status;
      expect(status, 'the share is given back when the held body goes').to.equal(202);
    });
  });

  describe('per process, in its own process', () => {
    let db: TestDatabase;
    let child: ChildProcess;
    let target: { url: string; publicKey: string };

    before(async () => {
      db = await createTestDatabase();
      child = spawn(process.execPath, ['--import', tsx, '--conditions=faultline-source', '--max-old-space-size=1024', '--max-semi-space-size=4', serverScript], {
        env: {
          ...process.env,
          FAULTLINE_DATABASE_URL: db.url,
          FAULTLINE_INGEST_THREADS: '1',
          FAULTLINE_TEST_LIMITS: JSON.stringify({ maxBodyBytesInFlight: 8 * MB, maxKeyBodyBytesInFlight: 8 * MB }),
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      target = await new Promise((resolve) => {
        let out = '';
        child.stdout!.on('data', (d) => {
          out += d;
          if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]));
        });
      });
    });
    after(async () => {
      if (child?.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      await db?.drop();
    });

    it('32 concurrent 4 MB bodies: most get 503 with Retry-After, and the server grows by less than 64 MB', async () => {
      const body = bigBody(4 * MB);
      expect((await post(target.url, target.publicKey, body, false)).status).to.equal(202); // warm up: threads, pool, JIT
      const before = memoryOf(child.pid!);
      const answers = await Promise.all(Array.from({ length: 32 }, (_, i) => post(target.url, target.publicKey, body, i % 2 === 1)));
      const after = memoryOf(child.pid!);

      const accepted = answers.filter((a) => a.status === 202).length;
      const refused = answers.filter((a) => a.status === 503);
      expect(accepted).to.be.at.least(1);
      expect(refused.length).to.be.at.least(16);
      for (const r of refused) expect(Number(r.retryAfter)).to.be.greaterThan(0);
      // 128 MB are offered at once; at most 8 MB of bodies are held (plus what decoding them costs).
      expect(after.peakMb - before.rssMb, `RSS ${before.rssMb.toFixed(0)} MB -> peak ${after.peakMb.toFixed(0)} MB`).to.be.below(64);
      expect((await post(target.url, target.publicKey, body, true)).status).to.equal(202);
    });
  });
});
