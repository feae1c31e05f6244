import express from 'express';
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { Server as HttpServer } from 'node:http';
import { expect } from 'chai';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { storagePostgres } from '@faultline/plugin-storage-postgres';
import { createTestDatabase, freePort, type TestDatabase } from '@faultline/plugin-storage-postgres/testing';
import { createFaultline, createProjectWithKey, createToken, type Faultline } from '../src/index.js';
import { api, errorEvent, postEvents } from './helpers/http.js';

/** A TCP proxy to PostgreSQL that the test can cut and restore, to play an outage with real parts. */
class CuttableProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  async open(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
  }

  async cut(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}

describe('when the database goes away', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let proxy: CuttableProxy;
  let faultline: Faultline;
  let http: HttpServer;
  let server: any;
  const logLines: string[] = [];

  before(async () => {
    db = await createTestDatabase();
    const target = new URL(db.url);
    proxy = new CuttableProxy(await freePort(), { host: target.hostname, port: Number(target.port || 5432) });
    await proxy.open();
    const url = new URL(db.url);
    url.port = String(proxy.port);
    faultline = await createFaultline({
      logger: pino({ level: 'info' }, new Writable({ write: (chunk, _enc, done) => (logLines.push(...String(chunk).split('\n').filter(Boolean)), done()) })),
      defaultMetrics: false,
      plugins: [storagePostgres({ url: url.toString(), connectTimeoutMs: 1000 })],
    });
    const app = express().use('/faultline', faultline.router());
    http = await new Promise<HttpServer>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const { project, publicKey } = await createProjectWithKey(faultline.storage, { name: 'outage' });
    const { token } = await createToken(faultline.storage, { role: 'viewer', projectIds: [project.id] });
    server = { url: `http://127.0.0.1:${(http.address() as any).port}/faultline`, project: { id: project.id, publicKey, secretToken: token } };
  });

  after(async () => {
    http?.closeAllConnections();
    http?.close();
    await faultline?.stop();
    await db?.drop();
  });

  it('answers 503 with Retry-After, never 500, and recovers when it is back', async () => {
    expect((await postEvents(server, errorEvent())).status).to.equal(202);
    await proxy.cut();

    const ingest = await postEvents(server, { events: [errorEvent(), errorEvent()] });
    expect(ingest.status, JSON.stringify(ingest.body)).to.equal(503);
    expect(ingest.body.error.code).to.equal('FAULTLINE_ERR_UNAVAILABLE');
    expect(Number(ingest.headers.get('retry-after'))).to.be.greaterThan(0);

    const query = await api(server, `/projects/${server.project.id}/issues`);
    expect(query.status, JSON.stringify(query.body)).to.equal(503);
    expect(query.body.error.code).to.equal('FAULTLINE_ERR_UNAVAILABLE');

    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).to.equal(503);
    expect((await fetch(`${server.url}/healthz`)).status).to.equal(200);

    await proxy.open();
    let status = 0;
    for (let i = 0; i < 50 && status !== 202; i++) {
      status = (await postEvents(server, errorEvent())).status;
      if (status !== 202) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).to.equal(202);
    const issues = await api(server, `/projects/${server.project.id}/issues`);
    expect(issues.body.data[0].count).to.equal(2); // the refused batch was not half-stored
  });

  it('logs an outage once when it starts and once when it ends, with a count, and no stacks above debug', async () => {
    logLines.length = 0;
    expect((await postEvents(server, errorEvent())).status).to.equal(202);
    await proxy.cut();
    for (let i = 0; i < 5; i++) expect((await postEvents(server, errorEvent())).status).to.equal(503);
    await proxy.open();
    let status = 0;
    for (let i = 0; i < 50 && status !== 202; i++) {
      status = (await postEvents(server, errorEvent())).status;
      if (status !== 202) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).to.equal(202);

    const entries = logLines.map((l) => JSON.parse(l));
    const errors = entries.filter((e) => e.level >= 50);
    expect(errors.map((e) => e.msg), logLines.join('\n')).to.deep.equal(['storage unavailable: batches are failing until it is back']);
    expect(JSON.stringify(errors)).to.not.include('    at ');
    const back = entries.filter((e) => e.msg === 'storage is back');
    expect(back).to.have.length(1);
    expect(back[0].failedBatches).to.be.at.least(5);
  });
});
