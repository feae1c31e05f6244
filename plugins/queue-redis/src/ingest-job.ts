import type { GroupedEvent } from '@faultline/core';
import { decodeBatch, encodeBatch } from './batch-bytes.js';

/** What one bee-queue job holds: one ingest request's events, as the batch bytes (base64: jobs are JSON). */
export interface IngestJobData {
  batch: string;
}

export function ingestJobData(events: GroupedEvent[]): IngestJobData {
  const bytes = encodeBatch(events);
  return { batch: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64') };
}

export function ingestJobEvents(data: IngestJobData): GroupedEvent[] {
  return decodeBatch(new Uint8Array(Buffer.from(data.batch, 'base64')));
}
