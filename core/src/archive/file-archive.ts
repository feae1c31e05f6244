import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { FaultlineError } from '../errors.js';
import type { ArchiveProvider, ArchiveRange, ArchiveRecord, RestoreResult } from '../providers/archive.js';
import type { EventRecord, StorageProvider } from '../providers/storage.js';

export interface FileArchiveOptions {
  /** Directory for the archives and their manifest; made if missing. */
  dir: string;
  storage: () => StorageProvider;
  /** Events written back per storage call on restore. Default 500. */
  restoreBatchSize?: number;
}

interface Manifest {
  version: 1;
  archives: ArchiveRecord[];
}

/** One line of an archive: an EventRecord with its payload as the UTF-8 text it is. */
type ArchiveLine = Omit<EventRecord, 'payload'> & { payload: string };

const MANIFEST = 'manifest.json';
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * An `archive` on a local (or mounted) directory: one gzip NDJSON file per exported range
 * (`p<project>/<from>--<to>-<id>.ndjson.gz`, one EventRecord per line) and a `manifest.json` listing each
 * with its event count, size and SHA-256. Export streams from storage through gzip to disk (memory stays
 * bounded), then reads the file back to check its hash and line count before it is listed; restore checks
 * the hash before writing anything back. For one process: the manifest is not locked against other
 * processes. Not registered by default (it needs a directory); provide it from a plugin, see the README.
 */
export class FileArchive implements ArchiveProvider {
  readonly name = 'file';
  private manifestWrite: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: FileArchiveOptions) {}

  async exportRange(range: ArchiveRange): Promise<ArchiveRecord> {
    checkRange(range);
    const id = `${stamp(range.from)}--${stamp(range.to)}-${randomBytes(4).toString('hex')}`;
    const relative = join(`p${range.projectId}`, `${id}.ndjson.gz`);
    const path = join(this.options.dir, relative);
    await mkdir(join(this.options.dir, `p${range.projectId}`), { recursive: true });

    let events = 0;
    const storage = this.options.storage();
    async function* lines(): AsyncGenerator<string> {
      for await (const record of storage.streamEvents(range.projectId, range)) {
        events += 1;
        const line: ArchiveLine = { ...record, payload: decoder.decode(record.payload) };
        yield `${JSON.stringify(line)}\n`;
      }
    }
    const hash = createHash('sha256');
    let bytes = 0;
    const tap = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        bytes += chunk.length;
        done(null, chunk);
      },
    });
    const partial = `${path}.partial`;
    try {
      await pipeline(Readable.from(lines()), createGzip(), tap, createWriteStream(partial));
      const sha256 = hash.digest('hex');
      const check = await inspect(partial);
      if (check.sha256 !== sha256 || check.lines !== events) {
        throw new FaultlineError('FAULTLINE_ERR_ARCHIVE_CORRUPT', `Archive ${relative} did not read back as written`);
      }
      await rename(partial, path);
      const record: ArchiveRecord = {
        id,
        projectId: range.projectId,
        from: range.from.toISOString(),
        to: range.to.toISOString(),
        events,
        bytes,
        sha256,
        createdAt: new Date().toISOString(),
        location: path,
      };
      await this.updateManifest((m) => m.archives.push(record));
      return record;
    } catch (err) {
      await rm(partial, { force: true });
      throw err;
    }
  }

  async list(filter: { projectId?: number } = {}): Promise<ArchiveRecord[]> {
    const { archives } = await this.readManifest();
    return archives
      .filter((a) => filter.projectId === undefined || a.projectId === filter.projectId)
      .sort((a, b) => a.from.localeCompare(b.from) || a.createdAt.localeCompare(b.createdAt));
  }

  async restore(range: ArchiveRange): Promise<RestoreResult> {
    checkRange(range);
    const from = range.from.getTime();
    const to = range.to.getTime();
    const overlapping = (await this.list({ projectId: range.projectId })).filter((a) => Date.parse(a.from) < to && Date.parse(a.to) > from);
    const result: RestoreResult = { restored: 0, skipped: 0, archives: 0 };
    const batchSize = this.options.restoreBatchSize ?? 500;
    for (const archive of overlapping) {
      const check = await inspect(archive.location);
      if (check.sha256 !== archive.sha256) {
        throw new FaultlineError('FAULTLINE_ERR_ARCHIVE_CORRUPT', `Archive ${archive.id} does not match its SHA-256; nothing of it was restored`);
      }
      let batch: EventRecord[] = [];
      const flush = async () => {
        if (batch.length === 0) return;
        const written = await this.options.storage().restoreEvents(batch);
        result.restored += written.restored;
        result.skipped += written.skipped;
        batch = [];
      };
      for await (const text of createInterface({ input: createReadStream(archive.location).pipe(createGunzip()), crlfDelay: Infinity })) {
        if (!text) continue;
        const line = JSON.parse(text) as ArchiveLine;
        const at = Date.parse(line.receivedAt);
        if (at < from || at >= to) continue;
        batch.push({ ...line, payload: encoder.encode(line.payload) });
        if (batch.length >= batchSize) await flush();
      }
      await flush();
      result.archives += 1;
    }
    return result;
  }

  private async readManifest(): Promise<Manifest> {
    try {
      return JSON.parse(await readFile(join(this.options.dir, MANIFEST), 'utf8')) as Manifest;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, archives: [] };
      throw err;
    }
  }

  /** Read, change, write to a temporary file and rename: a crash never leaves half a manifest. */
  private updateManifest(change: (m: Manifest) => void): Promise<void> {
    const next = this.manifestWrite.then(async () => {
      const manifest = await this.readManifest();
      change(manifest);
      const tmp = join(this.options.dir, `${MANIFEST}.${randomBytes(4).toString('hex')}.tmp`);
      await writeFile(tmp, `${JSON.stringify(manifest, null, 2)}\n`);
      await rename(tmp, join(this.options.dir, MANIFEST));
    });
    this.manifestWrite = next.catch(() => undefined);
    return next;
  }
}

/** The file's SHA-256 and its number of NDJSON lines, read as a stream. */
async function inspect(path: string): Promise<{ sha256: string; lines: number }> {
  const hash = createHash('sha256');
  let lines = 0;
  const file = createReadStream(path);
  file.on('data', (chunk) => hash.update(chunk));
  try {
    for await (const line of createInterface({ input: file.pipe(createGunzip()), crlfDelay: Infinity })) if (line) lines += 1;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new FaultlineError('FAULTLINE_ERR_ARCHIVE_CORRUPT', `Archive file ${path} is missing`, { cause: err });
    throw new FaultlineError('FAULTLINE_ERR_ARCHIVE_CORRUPT', `Archive file ${path} is not valid gzip`, { cause: err });
  }
  return { sha256: hash.digest('hex'), lines };
}

function checkRange(range: ArchiveRange): void {
  if (!(range.from instanceof Date) || !(range.to instanceof Date) || Number.isNaN(range.from.getTime()) || Number.isNaN(range.to.getTime())) {
    throw new FaultlineError('FAULTLINE_ERR_REQUEST_INVALID', 'An archive range needs from and to times', { path: 'from' });
  }
  if (range.from >= range.to) throw new FaultlineError('FAULTLINE_ERR_REQUEST_INVALID', 'from must be before to', { path: 'from' });
}

/** A time as a file-name-safe stamp: 20261201T000000Z. */
function stamp(t: Date): string {
  return t.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}
