import { decodeBatch, encodeBatch, type GroupedEvent } from '@faultline/core';

/**
 * What one bee-queue job holds: one ingest request's events as core's batch bytes (`encodeBatch`, which
 * owns the format and its version), in base64 because bee-queue stores a job as JSON.
 */
export interface IngestJobData {
  batch: string;
  /** How many events the batch holds, for the pending-events count without decoding it. */
  events: number;
}

export function ingestJobData(events: GroupedEvent[]): IngestJobData {
  const bytes = encodeBatch(events);
  return { batch: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'), events: events.length };
}

export function ingestJobEvents(data: IngestJobData): GroupedEvent[] {
  return decodeBatch(new Uint8Array(Buffer.from(data.batch, 'base64')));
}
