import type { GroupedEvent } from '@faultline/core';
import type { PgClient } from './connection.js';

export interface EventRowInput {
  projectId: number;
  eventId: string;
  issueId: string;
  receivedAt: Date;
  source: GroupedEvent;
}

/**
 * Writes events in one multi-row statement over arrays (unnest). The payload is the canonical event as
 * JSON text in an lz4-compressed text column: it is only ever read back whole, so jsonb's parse and
 * bigger rows buy nothing (measured in bench/payload-and-insert.ts).
 */
export async function insertEvents(client: PgClient, rows: EventRowInput[]): Promise<void> {
  if (rows.length === 0) return;
  await client.query(
    `INSERT INTO events (project_id, event_id, issue_id, received_at, "timestamp", level, release, environment, payload)
     SELECT * FROM unnest($1::int[], $2::uuid[], $3::bigint[], $4::timestamptz[], $5::timestamptz[], $6::text[],
                          $7::text[], $8::text[], $9::text[])`,
    [
      rows.map((r) => r.projectId),
      rows.map((r) => r.eventId),
      rows.map((r) => r.issueId),
      rows.map((r) => r.receivedAt),
      rows.map((r) => clientTimestamp(r.source.event.timestamp)),
      rows.map((r) => r.source.event.level),
      rows.map((r) => r.source.event.release ?? null),
      rows.map((r) => r.source.event.environment ?? null),
      rows.map((r) => JSON.stringify(r.source.event)),
    ],
  );
}

/** The client's own timestamp, if it is a time at all (it is informational; ordering uses received_at). */
function clientTimestamp(value: string | number | undefined): Date | null {
  if (value === undefined) return null;
  const t = typeof value === 'number' ? new Date(value * 1000) : new Date(value);
  const ms = t.getTime();
  return Number.isFinite(ms) && Math.abs(ms) < 8.64e15 && t.getUTCFullYear() > 0 && t.getUTCFullYear() < 10000 ? t : null;
}
