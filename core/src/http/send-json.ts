import type { ServerResponse } from 'node:http';

/**
 * Writes a JSON answer. Express's `res.json` also hashes the body for an ETag, looks up the MIME type
 * and checks request freshness: ~50 µs per ingest request (bench/sentry), none of it of use to an API
 * answer that is never cached.
 */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}
