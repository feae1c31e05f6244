import type { EventRecord, EventTimeRange } from './storage.js';

export type { EventRecord, EventTimeRange };

/** One project's events received in [from, to). */
export interface ArchiveRange {
  projectId: number;
  from: Date;
  to: Date;
}

/** One exported range, as the archive keeps it. */
export interface ArchiveRecord {
  /** The provider's id for it (stable; `list` and `restore` use it). */
  id: string;
  projectId: number;
  /** ISO times: events received in [from, to). */
  from: string;
  to: string;
  events: number;
  /** Size of the stored archive (compressed). */
  bytes: number;
  /** Hex SHA-256 of the stored archive, checked on restore. */
  sha256: string;
  createdAt: string;
  /** Where it is, for people (a path, an s3:// URL). */
  location: string;
}

export interface RestoreResult {
  /** Events written back. */
  restored: number;
  /** Events already in storage (restore is idempotent by event id). */
  skipped: number;
  /** Archives read. */
  archives: number;
}

/**
 * The `archive` provider: cold storage for events past a project's hot retention. It reads events out
 * through the storage (`streamEvents`), writes and verifies an archive, and reads archives back into the
 * storage (`restoreEvents`). Dropping what was archived is the caller's step (`StorageProvider.dropEvents`,
 * usually by a scheduled job), after `exportRange` resolved.
 *
 * No default is registered: asking for `archive` without an archive plugin is FAULTLINE_ERR_PROVIDER_MISSING.
 * Core ships `FileArchive` (gzip NDJSON files and a manifest in a directory) for one process; a plugin
 * provides it with the directory it should use.
 */
export interface ArchiveProvider {
  readonly name: string;
  /**
   * Exports the range and verifies what was written before it resolves. An empty range still gives an
   * (empty) archive, so a run records that it looked.
   */
  exportRange(range: ArchiveRange): Promise<ArchiveRecord>;
  /** Archives, oldest range first; a project's only with `projectId`. */
  list(filter?: { projectId?: number }): Promise<ArchiveRecord[]>;
  /** Writes back every archived event of the project in the range; idempotent. */
  restore(range: ArchiveRange): Promise<RestoreResult>;
  /**
   * Deletes one archive for good (retention's delete-after). Optional: without it, archives stay until
   * removed by other means (an S3 lifecycle rule, say).
   */
  remove?(id: string): Promise<void>;
  start?(): Promise<void>;
  stop?(): Promise<void>;
}
