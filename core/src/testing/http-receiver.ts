import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  /** The body as received, byte for byte (as UTF-8 text). */
  body: string;
}

export interface HttpReceiver {
  /** http://127.0.0.1:PORT */
  url: string;
  /** Requests answered 2xx, in order of arrival. */
  received: ReceivedRequest[];
  /** Every request, answered or refused. */
  all: ReceivedRequest[];
  /** Answers the next `count` requests with `status` (and headers) instead of 200. */
  refuseNext(count: number, status: number, headers?: Record<string, string>): void;
  close(): Promise<void>;
}

/**
 * An HTTP endpoint on loopback that records what alert channels POST (a Slack or webhook stand-in). Paths
 * under `/gone` answer 404, so a config pointing there must fail.
 */
export async function startHttpReceiver(): Promise<HttpReceiver> {
  const received: ReceivedRequest[] = [];
  const all: ReceivedRequest[] = [];
  const refusals: { status: number; headers: Record<string, string> }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request = { path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      all.push(request);
      if (request.path.startsWith('/gone')) return void res.writeHead(404).end('no_service');
      const refusal = refusals.shift();
      if (refusal) return void res.writeHead(refusal.status, refusal.headers).end('refused');
      received.push(request);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    all,
    refuseNext(count, status, headers = {}) {
      for (let i = 0; i < count; i++) refusals.push({ status, headers });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
