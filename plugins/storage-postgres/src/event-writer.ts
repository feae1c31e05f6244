import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { GroupedEvent } from '@faultline/core';
import { from as copyFrom } from 'pg-copy-streams';
import type { PgClient } from './connection.js';

export interface EventRowInput {
  projectId: number;
  eventId: string;
  issueId: string;
  receivedAt: Date;
  source: GroupedEvent;
}

const COPY_EVENTS = `COPY events (project_id, event_id, issue_id, received_at, "timestamp", level, release, environment, payload)
  FROM STDIN`;
const ROWS_PER_CHUNK = 200;

/**
 * Writes events with COPY (text format) on the batch's connection, inside its transaction. Measured at
 * about 5x the rows/s of one INSERT over unnest'ed arrays for 2.6 KB events (bench/payload-and-insert.ts):
 * the array route escapes every quote of the JSON into an array literal and parses it back on the server.
 * The payload is the canonical event as JSON text in an lz4-compressed text column: it is only read back
 * whole, so jsonb's parsing and bigger rows buy nothing.
 */
export async function insertEvents(client: PgClient, rows: EventRowInput[]): Promise<void> {
  if (rows.length === 0) return;
  await pipeline(Readable.from(copyChunks(rows)), client.query(copyFrom(COPY_EVENTS)));
}

function* copyChunks(rows: EventRowInput[]): Generator<string> {
  for (let start = 0; start < rows.length; start += ROWS_PER_CHUNK) {
    let chunk = '';
    for (const row of rows.slice(start, start + ROWS_PER_CHUNK)) {
      const event = row.source.event;
      chunk += `${row.projectId}\t${row.eventId}\t${row.issueId}\t${row.receivedAt.toISOString()}\t${copyTime(
        clientTimestamp(event.timestamp),
      )}\t${copyText(event.level)}\t${copyText(event.release)}\t${copyText(event.environment)}\t${copyJson(
        JSON.stringify(event),
      )}\n`;
    }
    yield chunk;
  }
}

/** COPY text format: backslash escapes for the four characters that would end a field or a row. */
function copyText(value: string | null | undefined): string {
  if (value === null || value === undefined) return '\\N';
  return value.replace(/[\\\n\r\t]/g, (c) => (c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t'));
}

/** JSON text never holds a raw newline, carriage return or tab (they are escaped), so only backslashes. */
function copyJson(json: string): string {
  return json.includes('\\') ? json.replaceAll('\\', '\\\\') : json;
}

function copyTime(value: Date | null): string {
  return value === null ? '\\N' : value.toISOString();
}

/** The client's own timestamp, if it is a time at all (it is informational; ordering uses received_at). */
function clientTimestamp(value: string | number | undefined): Date | null {
  if (value === undefined) return null;
  const t = typeof value === 'number' ? new Date(value * 1000) : new Date(value);
  const year = Number.isFinite(t.getTime()) ? t.getUTCFullYear() : NaN;
  return year > 0 && year < 10000 ? t : null;
}
