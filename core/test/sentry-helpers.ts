import { readFileSync } from 'node:fs';
import type { TestServer } from '@faultline/core/testing';

/** Helpers shared by the sentry-*.test.ts files (not a spec itself). */
export function fixture(name: string): Record<string, any> {
  return JSON.parse(readFileSync(new URL(`./fixtures/sentry/${name}.json`, import.meta.url), 'utf8'));
}

export function envelopeOf(header: object, items: { header: object; payload: string | Buffer }[], withLength = false): Buffer {
  const parts: Buffer[] = [Buffer.from(JSON.stringify(header))];
  for (const item of items) {
    const payload = typeof item.payload === 'string' ? Buffer.from(item.payload) : item.payload;
    const header = withLength ? { ...item.header, length: payload.length } : item.header;
    parts.push(Buffer.from('\n' + JSON.stringify(header) + '\n'), payload);
  }
  return Buffer.concat(parts);
}

export async function api(server: TestServer, path: string): Promise<any> {
  const res = await fetch(`${server.url}/api/v1${path}`, { headers: { authorization: `Bearer ${server.project.secretToken}` } });
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Polls until `check` returns a value (events are stored asynchronously after the 200). */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, what: string, tries = 100): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const value = await check().catch(() => undefined);
    if (value) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export async function storedEvent(server: TestServer, eventId: string): Promise<any> {
  return eventually(async () => {
    const res = await fetch(`${server.url}/api/v1/events/${eventId}`, { headers: { authorization: `Bearer ${server.project.secretToken}` } });
    return res.status === 200 ? res.json() : undefined;
  }, `event ${eventId}`);
}

export async function issues(server: TestServer, query = ''): Promise<any[]> {
  return (await api(server, `/projects/${server.project.id}/issues?query=${encodeURIComponent(query)}`)).data;
}
