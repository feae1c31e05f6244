import { expect } from 'chai';
import { Writable } from 'node:stream';
import { Router } from 'express';
import { pino } from 'pino';
import { startPostgresTestServer, type PostgresTestServer } from '@faultline/plugin-storage-postgres/testing';
import { definePlugin } from '../src/index.js';
import { errorEvent, postEvents } from './helpers/http.js';

/** A pino logger whose lines the test reads. */
function capturedLogger(): { logger: pino.Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

describe('hardening', function () {
  describe('a deeply nested native body over 1 MiB', () => {
    let server: PostgresTestServer;
    const log = capturedLogger();
    before(async () => {
      const failing = definePlugin({
        name: 'failing-route',
        core: '*',
        setup(ctx) {
          const router = Router();
          router.get('/api/boom', () => {
            throw new Error('unexpected');
          });
          ctx.routes(router);
        },
      });
      server = await startPostgresTestServer({ logger: log.logger, plugins: [failing] });
    });
    after(() => server?.stop());

    it('is a 400 TOO_DEEP, not a stack overflow in JSON.stringify', async () => {
      const depth = 200_000;
      const body = `{"extra":${'{"a":'.repeat(depth)}1${'}'.repeat(depth + 1)}`;
      expect(body.length).to.be.greaterThan(1024 * 1024);
      const res = await postEvents(server, body, { raw: true });
      expect(res.status, JSON.stringify(res.body)).to.equal(400);
      expect(res.body.error.code).to.equal('FAULTLINE_ERR_INGEST_TOO_DEEP');
      const batch = await postEvents(server, `{"events":[{"message":"ok"},${body}]}`, { raw: true });
      expect(batch.status).to.equal(400);
      expect(batch.body.error).to.include({ code: 'FAULTLINE_ERR_INGEST_TOO_DEEP' });
      expect(batch.body.error.path).to.match(/^events\[1\]\.extra/);
    });

    it('the error log line of a request does not hold the public key of its URL', async () => {
      const key = server.project.publicKey;
      const res = await fetch(`${server.url}/api/boom?sentry_key=${key}&faultline_key=${key}&other=1`);
      expect(res.status).to.equal(500);
      const line = log.lines.find((l) => l.includes('unexpected error'));
      expect(line, log.lines.join('\n')).to.be.a('string');
      expect(line).to.not.include(key);
      expect(line).to.include('other=1');
    });
  });

  describe('shutting down', () => {
    it('answers 503 FAULTLINE_ERR_STOPPING with Retry-After, with ingest threads too', async () => {
      const server = await startPostgresTestServer({ ingestThreads: 1 });
      try {
        expect((await postEvents(server, errorEvent())).status).to.equal(202);
        await server.faultline.stop();
        const res = await postEvents(server, errorEvent());
        expect(res.status).to.equal(503);
        expect(res.body.error.code).to.equal('FAULTLINE_ERR_STOPPING');
        expect(Number(res.headers.get('retry-after'))).to.be.greaterThan(0);
      } finally {
        await server.stop();
      }
    });
  });
});
