import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import type { Claimed } from './batch-groups.js';
import type { PgClient } from './connection.js';
import type { BatchSearchColumns, SearchColumns } from './search-columns.js';

const COPY_EVENTS = `COPY events (project_id, event_id, issue_id, received_at, "timestamp", level, release, environment, search_text, fields, payload)
  FROM STDIN (FORMAT binary)`;

/**
 * COPY on the batch's connection, inside its transaction. Measured at about 5x the rows/s of one INSERT
 * over unnest'ed arrays for 2.6 KB events (bench/payload-and-insert.ts): the array route escapes every
 * quote of the JSON into an array literal and parses it back on the server. The payload is the canonical
 * event as JSON text in an lz4-compressed text column: it is only read back whole, so jsonb's parsing and
 * bigger rows buy nothing.
 *
 * Binary format, not text: for 50 KB JSON rows into that column PostgreSQL spent ~145 µs CPU per row
 * parsing text COPY (it scans every byte for delimiters and escapes) against ~80 µs for binary, and rows/s
 * doubled. Node no longer escapes the payload's backslashes or concatenates lines either: each field is
 * written once, as bytes, with its length in front.
 */
export async function insertEvents(
  client: PgClient,
  events: Claimed[],
  issueOf: (e: Claimed) => string,
  columns: BatchSearchColumns,
): Promise<void> {
  if (events.length === 0) return;
  const out = new ChunkWriter();
  await pipeline(Readable.from(copyChunks(out, events, issueOf, columns)), client.query(copyFrom(COPY_EVENTS)));
  out.recycle(); // PostgreSQL has read every byte: the chunks can be written again
}

/**
 * The stream is built as COPY consumes it, in chunks of about 64 KB, rather than the whole batch ahead:
 * bytes built ahead would live through the batch's first statements (when they were text-format strings,
 * those over ~128 KB went straight into V8's old space and the rest got promoted there). Built here, a
 * chunk dies young. A payload bigger than a chunk gets a buffer of its own size.
 */
const CHUNK_BYTES = 64 * 1024;
/**
 * Standard chunks are reused from batch to batch. New ones are memory outside V8's heap, and V8 answers
 * a fast churn of that with old-generation collections (at 50 KB events, ~4 a second, a fifth of the
 * server's CPU in marking).
 */
const SPARE: Buffer[] = [];
const MAX_SPARE = 64;

/** Binary COPY: the signature, then int32 flags and int32 header-extension length, both 0. */
const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const FIELD_COUNT = 11;
/** Field count, the length words, and the fixed-size values: int4, uuid, int8, two timestamptz, jsonb's version. */
const ROW_FIXED_BYTES = 2 + 4 * FIELD_COUNT + 4 + 16 + 8 + 8 + 8 + 1;
/** A UTF-16 code unit never takes more than 3 bytes of UTF-8 (a surrogate pair takes 4 for two units). */
const MAX_UTF8_PER_UNIT = 3;
/** timestamptz is int64 microseconds since 2000-01-01T00:00:00Z. */
const POSTGRES_EPOCH_US = BigInt(Date.UTC(2000, 0, 1)) * 1000n;

function* copyChunks(out: ChunkWriter, events: Claimed[], issueOf: (e: Claimed) => string, columns: BatchSearchColumns): Generator<Buffer> {
  out.header();
  for (const e of events) {
    const { level, release, environment, payload } = e.source;
    const issueId = issueOf(e);
    const search = columns.of(e.source, issueId, e.receivedAt);
    const shortText = level.length + (release?.length ?? 0) + (environment?.length ?? 0) + (search.text?.length ?? 0) + (search.fields?.length ?? 0);
    let full = out.reserve(ROW_FIXED_BYTES + MAX_UTF8_PER_UNIT * shortText);
    if (full) yield full;
    writeRowHead(out, e, issueId, search, payload.byteLength);
    full = out.reserve(payload.byteLength);
    if (full) yield full;
    out.bytes(payload);
  }
  const full = out.reserve(2);
  if (full) yield full;
  out.int16(-1); // the trailer
  yield out.take();
}

/** Every field of one row up to the payload's length word; the payload's bytes follow. */
function writeRowHead(out: ChunkWriter, e: Claimed, issueId: string, search: SearchColumns, payloadBytes: number): void {
  const source = e.source;
  out.int16(FIELD_COUNT);
  out.int32(4);
  out.int32(e.projectId);
  out.uuid(e.eventId);
  out.int32(8);
  out.bigint(BigInt(issueId));
  out.time(e.receivedAt);
  out.time(clientTimestamp(source.timestamp));
  out.text(source.level);
  out.text(source.release);
  out.text(source.environment);
  out.text(search.text);
  out.jsonb(search.fields);
  out.int32(payloadBytes);
}

/**
 * Writes into one chunk at a time. `reserve` makes room for the next write; when the chunk is too full it
 * hands the filled part back (for the caller to send) and starts the next one.
 */
class ChunkWriter {
  private readonly used: Buffer[] = [];
  private buf = this.chunk(CHUNK_BYTES);
  private pos = 0;

  reserve(bytes: number): Buffer | undefined {
    if (this.buf.length - this.pos >= bytes) return undefined;
    const full = this.pos > 0 ? this.take() : undefined;
    this.buf = this.chunk(Math.max(CHUNK_BYTES, bytes));
    return full;
  }

  /** Gives this writer's standard chunks back for the next batch; call only once the COPY has ended. */
  recycle(): void {
    for (const b of this.used) if (SPARE.length < MAX_SPARE) SPARE.push(b);
    this.used.length = 0;
  }

  private chunk(bytes: number): Buffer {
    if (bytes > CHUNK_BYTES) return Buffer.allocUnsafe(bytes);
    const b = SPARE.pop() ?? Buffer.allocUnsafe(CHUNK_BYTES);
    this.used.push(b);
    return b;
  }

  /** The filled part, to send; writing goes on after it, so what was sent is never overwritten. */
  take(): Buffer {
    const full = this.buf.subarray(0, this.pos);
    this.buf = this.buf.subarray(this.pos);
    this.pos = 0;
    return full;
  }

  header(): void {
    this.pos += SIGNATURE.copy(this.buf, this.pos);
    this.int32(0);
    this.int32(0);
  }

  int16(value: number): void {
    this.pos = this.buf.writeInt16BE(value, this.pos);
  }

  int32(value: number): void {
    this.pos = this.buf.writeInt32BE(value, this.pos);
  }

  bigint(value: bigint): void {
    this.pos = this.buf.writeBigInt64BE(value, this.pos);
  }

  /** A uuid from the 32 lowercase hex digits ids are normalized to (batch-groups.ts). */
  uuid(hex: string): void {
    this.int32(16);
    if (this.buf.write(hex, this.pos, 16, 'hex') !== 16) throw new Error(`Event id ${hex} is not 32 hex digits`);
    this.pos += 16;
  }

  time(value: Date | null): void {
    if (value === null) return this.int32(-1);
    this.int32(8);
    this.bigint(BigInt(value.getTime()) * 1000n - POSTGRES_EPOCH_US);
  }

  /** Length word, then the bytes: written first and the length filled in, so the string is encoded once. */
  text(value: string | null): void {
    if (value === null) return this.int32(-1);
    const lengthAt = this.pos;
    this.pos += 4;
    this.utf8(value);
    this.buf.writeInt32BE(this.pos - lengthAt - 4, lengthAt);
  }

  /** jsonb's binary form: a version byte (1), then the JSON text. */
  jsonb(json: string | null): void {
    if (json === null) return this.int32(-1);
    const lengthAt = this.pos;
    this.pos += 4;
    this.buf[this.pos++] = 1;
    this.utf8(json);
    this.buf.writeInt32BE(this.pos - lengthAt - 4, lengthAt);
  }

  /**
   * UTF-8 bytes, for which room was reserved. A lone surrogate becomes U+FFFD (3 bytes, as
   * Buffer.byteLength counts it).
   */
  utf8(value: string): void {
    this.pos += this.buf.write(value, this.pos);
  }

  /** Bytes as they are (the payload arrives as UTF-8 JSON), for which room was reserved. */
  bytes(value: Uint8Array): void {
    this.buf.set(value, this.pos);
    this.pos += value.byteLength;
  }
}

/** The client's own timestamp, if it is a time at all (it is informational; ordering uses received_at). */
function clientTimestamp(value: string | number | undefined): Date | null {
  if (value === undefined) return null;
  const t = typeof value === 'number' ? new Date(value * 1000) : new Date(value);
  const year = Number.isFinite(t.getTime()) ? t.getUTCFullYear() : NaN;
  return year > 0 && year < 10000 ? t : null;
}
