import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import {
  FaultlineError,
  type ArchiveProvider,
  type ArchiveRange,
  type ArchiveRecord,
  type EventRecord,
  type RestoreResult,
  type StorageProvider,
} from '@faultline/core';
import type { Logger } from 'pino';
import { fromLine, gunzipLines, hashTap, inspectGzip, toLine, type Manifest } from './archive-format.js';
import type { ResolvedOptions } from './options.js';

const MANIFEST_SUFFIX = '.manifest.json';

/** A hook between the steps of an export, for tests that stop a run midway. */
export type ExportStep = 'uploaded' | 'verified';

/**
 * An `archive` on S3 or any S3-compatible store. Each exported range is one gzip NDJSON object at
 * `<prefix>p<project>/<from>--<to>.ndjson.gz`, with `<same>.manifest.json` beside it.
 *
 * The key is fixed by the range, so an export that was interrupted and is run again overwrites its own
 * object (never a second copy). The object is uploaded (multipart when large), then read back and its
 * SHA-256 and line count checked; only then is the manifest written, and only a manifest makes an archive
 * exist for `list`, retention and restore. Restore downloads an object to a temporary file while hashing it
 * and refuses one that does not match its manifest before writing anything back.
 */
export class S3Archive implements ArchiveProvider {
  readonly name = 's3';
  private readonly client: S3Client;
  private readonly manifestCache = new Map<string, { etag: string; manifest: Manifest }>();

  constructor(
    private readonly options: ResolvedOptions,
    private readonly storage: () => StorageProvider,
    private readonly log: Logger,
    /** Called after each step of an export; a test throws from it to stop a run there. */
    private readonly afterStep: (step: ExportStep, key: string) => Promise<void> | void = () => undefined,
  ) {
    // The SDK warns on Node < 22 about its releases after January 2027; this package pins one that runs on
    // Node 20, so the multi-line warning would only clutter every command's stderr. Set the variable to
    // 'false' to see it.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    this.client = new S3Client({
      region: options.region,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      forcePathStyle: options.forcePathStyle,
      ...(options.credentials ? { credentials: options.credentials } : {}),
      maxAttempts: options.maxAttempts,
      requestHandler: { requestTimeout: options.requestTimeoutMs, connectionTimeout: 10_000 },
    });
  }

  async stop(): Promise<void> {
    this.client.destroy();
  }

  async exportRange(range: ArchiveRange): Promise<ArchiveRecord> {
    checkRange(range);
    const id = `p${range.projectId}/${stamp(range.from)}--${stamp(range.to)}`;
    const key = `${this.options.prefix}${id}.ndjson.gz`;
    const storage = this.storage();
    let events = 0;
    let firstEventAt: string | null = null;
    let lastEventAt: string | null = null;
    // Lines go to gzip in blocks of about 256 kB: a stream write per line costs more than the line.
    async function* lines(): AsyncGenerator<string> {
      let block: string[] = [];
      let size = 0;
      for await (const record of storage.streamEvents(range.projectId, range, { batchSize: 10_000 })) {
        events += 1;
        firstEventAt ??= record.receivedAt;
        lastEventAt = record.receivedAt;
        const line = toLine(record);
        block.push(line);
        size += line.length;
        if (size >= 262_144) {
          yield block.join('');
          block = [];
          size = 0;
        }
      }
      if (block.length > 0) yield block.join('');
    }
    const tap = hashTap();
    const body = new PassThrough();
    const writing = pipeline(Readable.from(lines()), createGzip(), tap.stream, body);
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.options.bucket, Key: key, Body: body, ContentType: 'application/x-ndjson', ContentEncoding: 'gzip' },
      partSize: this.options.partSize,
      queueSize: this.options.queueSize,
      leavePartsOnError: false,
    });
    // A failed upload stops reading the body; destroying it ends the read from storage too (the cursor's
    // transaction is rolled back and its connection released) instead of leaving it waiting.
    const uploading = upload.done().catch((err: unknown) => {
      body.destroy(err as Error);
      throw err;
    });
    await this.s3(`upload ${key}`, () => Promise.all([writing, uploading]));
    const written = tap.result();
    await this.afterStep('uploaded', key);

    const check = await this.s3(`verify ${key}`, async () => inspectGzip(await this.getBody(key)));
    if (check.sha256 !== written.sha256 || check.bytes !== written.bytes || check.lines !== events) {
      throw new FaultlineError('FAULTLINE_ERR_ARCHIVE_CORRUPT', `s3://${this.options.bucket}/${key} did not read back as written; it is not listed and nothing was dropped`);
    }
    await this.afterStep('verified', key);

    const manifest: Manifest = {
      version: 1,
      id,
      projectId: range.projectId,
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      events,
      bytes: written.bytes,
      sha256: written.sha256,
      createdAt: new Date().toISOString(),
      location: `s3://${this.options.bucket}/${key}`,
      key,
      firstEventAt,
      lastEventAt,
    };
    await this.s3(`manifest ${key}`, () =>
      this.client.send(new PutObjectCommand({
        Bucket: this.options.bucket,
        Key: `${this.options.prefix}${id}${MANIFEST_SUFFIX}`,
        Body: JSON.stringify(manifest),
        ContentType: 'application/json',
      })),
    );
    this.log.info({ id, events, bytes: written.bytes }, 'archived');
    return toRecord(manifest);
  }

  async list(filter: { projectId?: number } = {}): Promise<ArchiveRecord[]> {
    return (await this.manifests(filter.projectId)).map(toRecord).sort((a, b) => a.from.localeCompare(b.from) || a.projectId - b.projectId);
  }

  async restore(range: ArchiveRange): Promise<RestoreResult> {
    checkRange(range);
    const from = range.from.getTime();
    const to = range.to.getTime();
    const overlapping = (await this.manifests(range.projectId))
      .filter((m) => Date.parse(m.from) < to && Date.parse(m.to) > from)
      .sort((a, b) => a.from.localeCompare(b.from));
    const result: RestoreResult = { restored: 0, skipped: 0, archives: 0 };
    const dir = await mkdtemp(join(tmpdir(), 'faultline-restore-'));
    try {
      for (const manifest of overlapping) {
        const file = join(dir, `${randomBytes(6).toString('hex')}.ndjson.gz`);
        const tap = hashTap();
        await this.s3(`download ${manifest.key}`, async () => pipeline(await this.getBody(manifest.key), tap.stream, createWriteStream(file)));
        const got = tap.result();
        if (got.sha256 !== manifest.sha256 || got.bytes !== manifest.bytes) {
          throw new FaultlineError('FAULTLINE_ERR_ARCHIVE_CORRUPT', `${manifest.location} does not match its manifest's SHA-256; nothing of it was restored`);
        }
        await this.writeBack(file, from, to, result);
        result.archives += 1;
        await rm(file, { force: true });
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    return result;
  }

  async remove(id: string): Promise<void> {
    const base = `${this.options.prefix}${id}`;
    // The manifest goes first: an archive without one no longer exists, whatever happens next.
    await this.s3(`remove ${id}`, async () => {
      await this.client.send(new DeleteObjectsCommand({ Bucket: this.options.bucket, Delete: { Objects: [{ Key: `${base}${MANIFEST_SUFFIX}` }] } }));
      await this.client.send(new DeleteObjectsCommand({ Bucket: this.options.bucket, Delete: { Objects: [{ Key: `${base}.ndjson.gz` }] } }));
    });
  }

  private async writeBack(file: string, from: number, to: number, result: RestoreResult): Promise<void> {
    const storage = this.storage();
    let batch: EventRecord[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const written = await storage.restoreEvents(batch);
      result.restored += written.restored;
      result.skipped += written.skipped;
      batch = [];
    };
    for await (const text of gunzipLines(createReadStream(file))) {
      if (!text) continue;
      const record = fromLine(text);
      const at = Date.parse(record.receivedAt);
      if (at < from || at >= to) continue;
      batch.push(record);
      if (batch.length >= this.options.restoreBatchSize) await flush();
    }
    await flush();
  }

  private async manifests(projectId?: number): Promise<Manifest[]> {
    const prefix = `${this.options.prefix}${projectId === undefined ? 'p' : `p${projectId}/`}`;
    const found: Array<{ key: string; etag: string }> = [];
    await this.s3('list', async () => {
      let token: string | undefined;
      do {
        const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.options.bucket, Prefix: prefix, ContinuationToken: token }));
        for (const object of page.Contents ?? []) if (object.Key?.endsWith(MANIFEST_SUFFIX)) found.push({ key: object.Key, etag: object.ETag ?? '' });
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    });
    const out: Manifest[] = [];
    for (const { key, etag } of found) {
      // A manifest read before is used again while its ETag is the same (a re-export or another process
      // rewriting it changes the ETag), so listing a year of days is one LIST, not 365 GETs.
      const cached = this.manifestCache.get(key);
      if (cached && etag !== '' && cached.etag === etag) {
        out.push(cached.manifest);
        continue;
      }
      const text = await this.s3(`read ${key}`, async () => (await this.getBody(key)).toArray().then((chunks) => Buffer.concat(chunks).toString('utf8')));
      const manifest = JSON.parse(text) as Manifest;
      this.manifestCache.set(key, { etag, manifest });
      out.push(manifest);
    }
    return out;
  }

  private async getBody(key: string): Promise<Readable> {
    const got = await this.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: key }));
    if (!(got.Body instanceof Readable)) throw new FaultlineError('FAULTLINE_ERR_ARCHIVE_UNAVAILABLE', `s3://${this.options.bucket}/${key} gave no body`);
    return got.Body;
  }

  /** S3 failures become one coded error naming what was being done; our own coded errors pass through. */
  private async s3<T>(what: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (err instanceof FaultlineError) throw err;
      if (err instanceof NoSuchKey) throw new FaultlineError('FAULTLINE_ERR_ARCHIVE_CORRUPT', `S3 ${what}: the object is missing`, { cause: err });
      throw new FaultlineError('FAULTLINE_ERR_ARCHIVE_UNAVAILABLE', `S3 ${what} failed: ${(err as Error).message}`, { cause: err });
    }
  }
}

function toRecord(m: Manifest): ArchiveRecord {
  return { id: m.id, projectId: m.projectId, from: m.from, to: m.to, events: m.events, bytes: m.bytes, sha256: m.sha256, createdAt: m.createdAt, location: m.location };
}

function checkRange(range: ArchiveRange): void {
  if (!(range.from instanceof Date) || !(range.to instanceof Date) || Number.isNaN(range.from.getTime()) || Number.isNaN(range.to.getTime())) {
    throw new FaultlineError('FAULTLINE_ERR_REQUEST_INVALID', 'An archive range needs from and to times', { path: 'from' });
  }
  if (range.from >= range.to) throw new FaultlineError('FAULTLINE_ERR_REQUEST_INVALID', 'from must be before to', { path: 'from' });
}

/** A time as a key-safe stamp: 20261201T000000Z. */
function stamp(t: Date): string {
  return t.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}
