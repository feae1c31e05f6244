import { randomBytes } from 'node:crypto';
import { after, before } from 'mocha';
import type { CanonicalEvent, Level } from '../../../event/types.js';
import type { GroupedEvent, StorageProvider } from '../../../providers/storage.js';

export type StorageFactory = () => StorageProvider | Promise<StorageProvider>;

/** What each area's cases share: the storage under test and a way to make a fresh project. */
export interface StorageContractContext {
  storage(): StorageProvider;
  /** A new project with a unique slug; each case makes the rows it reads. */
  newProject(): Promise<number>;
}

/** Registers the suite's before/after: one storage (migrated) for the whole suite, closed at the end. */
export function storageContext(factory: StorageFactory): StorageContractContext {
  let storage: StorageProvider | null = null;
  before(async () => {
    storage = await factory();
    await storage.migrate();
  });
  after(async () => {
    await storage?.close();
  });
  return {
    storage() {
      if (!storage) throw new Error('storage contract: the factory has not run');
      return storage;
    },
    async newProject() {
      const slug = `contract-${randomBytes(4).toString('hex')}`;
      return (await this.storage().createProject({ name: slug, slug })).id;
    },
  };
}

export const newEventId = () => randomBytes(16).toString('hex');
export const newHash = () => randomBytes(32).toString('hex');

let clock = Date.now();
/** Strictly increasing receive times, so no order depends on timing. */
export const nextReceivedAt = () => new Date((clock += 1000));

export interface EventOverrides {
  eventId?: string;
  receivedAt?: Date;
  level?: Level;
  release?: string | null;
  environment?: string | null;
  userKey?: string | null;
  title?: string;
  value?: string;
  culprit?: string;
  /** What the event says its time was (default: its receive time); any string, to test bad ones. */
  timestamp?: string;
  message?: string;
  /** Adds this many bytes of `extra` to the payload. */
  padding?: number;
}

/** A grouped event as ingest hands it to storage; its payload is its canonical event as JSON. */
export function groupedEvent(projectId: number, fingerprint: string, over: EventOverrides = {}): GroupedEvent {
  const eventId = over.eventId ?? newEventId();
  const title = over.title ?? `Error ${fingerprint}`;
  const receivedAt = (over.receivedAt ?? nextReceivedAt()).toISOString();
  const event: CanonicalEvent = {
    event_id: eventId,
    timestamp: over.timestamp ?? receivedAt,
    level: over.level ?? 'error',
    platform: 'javascript',
    tags: {},
    ...(over.message !== undefined ? { message: over.message } : {}),
    ...(over.release ? { release: over.release } : {}),
    ...(over.environment ? { environment: over.environment } : {}),
    exception: { values: [{ type: 'Error', value: over.value ?? title }] },
    extra: over.padding ? { padding: 'x'.repeat(over.padding) } : {},
  };
  return {
    projectId,
    eventId,
    receivedAt,
    timestamp: event.timestamp,
    level: event.level,
    platform: event.platform,
    release: over.release ?? null,
    environment: over.environment ?? null,
    fingerprint,
    groupingVersion: '1',
    userKey: over.userKey ?? null,
    meta: { title, culprit: over.culprit ?? 'app.js in handler', type: 'Error', value: over.value ?? title },
    payload: new TextEncoder().encode(JSON.stringify(event)),
  };
}

export const newFingerprint = () => randomBytes(8).toString('hex');

/** Resolves with the coded error a promise rejects with, or fails when it resolves. */
export async function rejectionCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    return String((err as { code?: unknown }).code);
  }
  throw new Error('expected a rejection with a coded error, but it resolved');
}
