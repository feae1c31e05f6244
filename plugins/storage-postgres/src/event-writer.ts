import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { GroupedEvent } from '@faultline/core';
import { from as copyFrom } from 'pg-copy-streams';
import type { PgClient } from './connection.js';

/** One event's COPY line without its issue id: built before the issue is known (see storeBatch). */
export interface EventLine {
  /** `project_id\tevent_id\t` */
  head: string;
  /** `\treceived_at\t...\tpayload\n` */
  tail: string;
}

const COPY_EVENTS = `COPY events (project_id, event_id, issue_id, received_at, "timestamp", level, release, environment, payload)
  FROM STDIN`;

/**
 * COPY (text format) on the batch's connection, inside its transaction. Measured at about 5x the rows/s
 * of one INSERT over unnest'ed arrays for 2.6 KB events (bench/payload-and-insert.ts): the array route
 * escapes every quote of the JSON into an array literal and parses it back on the server. The payload is
 * the canonical event as JSON text in an lz4-compressed text column: it is only read back whole, so
 * jsonb's parsing and bigger rows buy nothing.
 */
export async function insertEvents(client: PgClient, rows: { line: EventLine; issueId: string }[]): Promise<void> {
  if (rows.length === 0) return;
  let text = '';
  for (const { line, issueId } of rows) text += line.head + issueId + line.tail;
  await pipeline(Readable.from([text]), client.query(copyFrom(COPY_EVENTS)));
}

/** An event's COPY line; the payload arrives serialized (core does it once, outside the transaction). */
export function eventLine(projectId: number, eventId: string, receivedAt: Date, source: GroupedEvent): EventLine {
  return {
    head: `${projectId}\t${eventId}\t`,
    tail: `\t${receivedAt.toISOString()}\t${copyTime(clientTimestamp(source.timestamp))}\t${copyText(source.level)}\t${copyText(
      source.release,
    )}\t${copyText(source.environment)}\t${copyJson(source.payload)}\n`,
  };
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
