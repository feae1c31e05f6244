import { createHash } from 'node:crypto';
import { createInterface } from 'node:readline';
import { PassThrough, Readable, Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { ArchiveRecord, EventRecord } from '@faultline/core';

/**
 * The archive's bytes: gzip NDJSON, one EventRecord per line with its payload as the UTF-8 text it is
 * (so the stored bytes come back identical), and the manifest written beside each object.
 */

export type ArchiveLine = Omit<EventRecord, 'payload'> & { payload: string };

/** What `<key>.manifest.json` holds: the ArchiveRecord and the events' own time range. */
export interface Manifest extends ArchiveRecord {
  version: 1;
  key: string;
  /** receivedAt of the first and last event, or null for an empty range. */
  firstEventAt: string | null;
  lastEventAt: string | null;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function toLine(record: EventRecord): string {
  const line: ArchiveLine = { ...record, payload: decoder.decode(record.payload) };
  return `${JSON.stringify(line)}\n`;
}

export function fromLine(text: string): EventRecord {
  const line = JSON.parse(text) as ArchiveLine;
  return { ...line, payload: encoder.encode(line.payload) };
}

/** A pass-through that hashes and counts what goes by. */
export function hashTap(): { stream: Transform; result: () => { sha256: string; bytes: number } } {
  const hash = createHash('sha256');
  let bytes = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  return { stream, result: () => ({ sha256: hash.digest('hex'), bytes }) };
}

/** Reads gzip bytes through: their SHA-256 and size, and the number of NDJSON lines inside. */
export async function inspectGzip(body: Readable): Promise<{ sha256: string; bytes: number; lines: number }> {
  const tap = hashTap();
  const gunzip = createGunzip();
  body.on('error', (err) => gunzip.destroy(err));
  body.pipe(tap.stream).pipe(gunzip);
  // Every line ends with '\n' (toLine writes it), so counting that byte counts the lines, without
  // splitting the text into strings.
  let lines = 0;
  for await (const chunk of gunzip as AsyncIterable<Buffer>) {
    for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines += 1;
  }
  return { ...tap.result(), lines };
}

/** NDJSON lines out of gzip bytes. */
export function gunzipLines(body: Readable): AsyncIterable<string> {
  const out = new PassThrough();
  const gunzip = createGunzip();
  body.on('error', (err) => gunzip.destroy(err));
  gunzip.on('error', (err) => out.destroy(err));
  body.pipe(gunzip).pipe(out);
  return createInterface({ input: out, crlfDelay: Infinity });
}
