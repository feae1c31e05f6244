import { randomBytes } from 'node:crypto';

/** A 32-hex event id. */
export function eventId(): string {
  return randomBytes(16).toString('hex');
}

/** A small error event; events with the same `kind` group into one issue. */
export function errorEvent(kind = 'A', id = eventId()) {
  return {
    event_id: id,
    platform: 'node',
    level: 'error',
    exception: {
      values: [{ type: `ScaleError${kind}`, value: `failure ${kind}`, stacktrace: { frames: [{ filename: 'app.js', function: `handle${kind}`, lineno: 7, in_app: true }] } }],
    },
  };
}

/** POST events to a node's native ingest route. */
export async function postEvents(url: string, key: string, events: unknown[]): Promise<{ status: number; headers: Headers; body: any }> {
  const res = await fetch(`${url}/api/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ events }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

/** POST one event as a Sentry envelope (the key in `?sentry_key=`, as SDKs send it). */
export async function postEnvelope(url: string, projectId: number, key: string, event: { event_id: string }): Promise<{ status: number; headers: Headers; body: any }> {
  const body = `${JSON.stringify({ event_id: event.event_id, sent_at: new Date().toISOString() })}\n{"type":"event"}\n${JSON.stringify(event)}`;
  const res = await fetch(`${url}/api/${projectId}/envelope/?sentry_key=${key}`, { method: 'POST', body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}
