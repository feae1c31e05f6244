import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

// The AWS SDK's notice about Node 22 would print on the tests' own clients; the plugin turns it off too.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export interface TestS3 {
  endpoint: string;
  bucket: string;
  /** Every request the server got, as 'METHOD path?query', oldest first. */
  requests: string[];
  /** While true, every PUT and POST answers 500 (a store that fails mid-upload). */
  failWrites: boolean;
  options: { bucket: string; endpoint: string; forcePathStyle: true; region: string; credentials: { accessKeyId: string; secretAccessKey: string } };
  close(): Promise<void>;
}

/** A real S3 protocol server (s3rver) on a loopback port, storing in a temporary directory removed on close. */
export async function startTestS3(): Promise<TestS3> {
  const directory = await mkdtemp(join(tmpdir(), 'faultline-s3rver-'));
  const bucket = `faultline-${randomBytes(3).toString('hex')}`;
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
  const requests: string[] = [];
  // Koa composes its middleware when the server starts listening, so this runs before s3rver's routes.
  server.middleware.unshift(async (ctx, next) => {
    requests.push(`${ctx.method} ${ctx.url}`);
    if (testS3.failWrites && (ctx.method === 'PUT' || ctx.method === 'POST')) {
      ctx.status = 500;
      ctx.body = '<Error><Code>InternalError</Code><Message>injected</Message></Error>';
      return;
    }
    await next();
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  let closed: Promise<void> | null = null;
  const testS3: TestS3 = {
    endpoint,
    bucket,
    requests,
    failWrites: false,
    options: { bucket, endpoint, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } },
    close() {
      closed ??= (async () => {
        await server.close();
        await rm(directory, { recursive: true, force: true });
      })();
      return closed;
    },
  };
  return testS3;
}

export function randomEventId(): string {
  return randomBytes(16).toString('hex');
}

/** Posts events with the project's public key and waits until storage holds them. */
export async function sendEvents(url: string, publicKey: string, events: unknown[]): Promise<void> {
  const res = await fetch(`${url}/api/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${publicKey}` },
    body: JSON.stringify({ events }),
  });
  if (res.status !== 202) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
}

export function errorEvent(i: number): Record<string, unknown> {
  return {
    event_id: randomEventId(),
    level: 'error',
    platform: 'node',
    message: `Grüße ${i} aus 東京 🚀`,
    exception: { values: [{ type: 'ArchivedError', value: `failure ${i % 3}`, stacktrace: { frames: [{ filename: 'app.js', function: 'handler', lineno: 10 + (i % 3) }] } }] },
    extra: { n: i, text: 'x'.repeat(200) },
  };
}
