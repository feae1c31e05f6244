import type { TestServer } from '@faultline/core/testing';

export interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

async function answer(res: Response): Promise<Answer> {
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, body };
}

/** POST to the native ingest route with the project's public key (or `key`). */
export async function postEvents(
  server: TestServer,
  body: unknown,
  options: { key?: string | null; headers?: Record<string, string>; raw?: boolean } = {},
): Promise<Answer> {
  const key = options.key === undefined ? server.project.publicKey : options.key;
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  if (key) headers.authorization = `Bearer ${key}`;
  const res = await fetch(`${server.url}/api/v1/events`, {
    method: 'POST',
    headers,
    body: options.raw ? (body as string | Uint8Array as any) : JSON.stringify(body),
  });
  return answer(res);
}

/** A call to the query/admin API with a secret token (default: the project's member token). */
export async function api(
  server: TestServer,
  path: string,
  options: { token?: string | null; method?: string; body?: unknown } = {},
): Promise<Answer> {
  const token = options.token === undefined ? server.project.secretToken : options.token;
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${server.url}/api/v1${path}`, {
    method: options.method ?? 'GET',
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  return answer(res);
}

/** A realistic error event; `line` moves the throwing frame without changing the error. */
export function errorEvent(options: { type?: string; value?: string; file?: string; fn?: string; line?: number; eventId?: string } = {}) {
  return {
    ...(options.eventId ? { event_id: options.eventId } : {}),
    platform: 'node',
    level: 'error',
    release: 'shop@1.0.0',
    environment: 'test',
    exception: {
      values: [
        {
          type: options.type ?? 'TypeError',
          value: options.value ?? "Cannot read properties of undefined (reading 'total')",
          stacktrace: {
            frames: [
              { filename: '/app/node_modules/express/lib/router/layer.js', function: 'Layer.handle', lineno: 95, colno: 5 },
              { filename: '/app/src/routes/checkout.js', function: 'checkout', lineno: 40, colno: 12 },
              { filename: options.file ?? '/app/src/cart.js', function: options.fn ?? 'cartTotal', lineno: options.line ?? 17, colno: 23 },
            ],
          },
        },
      ],
    },
    user: { id: 'u-1' },
    tags: { region: 'eu' },
  };
}

export function randomEventId(): string {
  return Array.from({ length: 32 }, () => Math.floor(Math.random() * 16).toString(16)).join('');
}
