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

/** The bee-queue options every ingest job carries: attempts after the first, and exponential backoff. */
export interface IngestJobRetries {
  retries: number;
  retryDelayMs: number;
}

export function ingestJobEvents(data: IngestJobData): GroupedEvent[] {
  return decodeBatch(new Uint8Array(Buffer.from(data.batch, 'base64')));
}

/**
 * The job as bee-queue stores it (what its `Job#toData` writes: data, options, status, progress), built
 * as bytes: a request's batch goes from `encodeBatch` to base64 to the Redis socket without becoming a
 * JSON string and then a copy of it (bee-queue stringifies the job, then its client copies the string
 * into a buffer).
 */
export function ingestJobBytes(events: GroupedEvent[], retries: IngestJobRetries, now = Date.now()): Buffer {
  const base64 = batchBytes(events).toString('base64');
  const options = { timestamp: now, stacktraces: [], retries: retries.retries, backoff: { strategy: 'exponential', delay: retries.retryDelayMs } };
  const head = Buffer.from('{"data":{"batch":"', 'latin1');
  const tail = Buffer.from(`","events":${events.length}},"options":${JSON.stringify(options)},"status":"created","progress":0}`, 'latin1');
  const job = Buffer.allocUnsafe(head.length + base64.length + tail.length);
  head.copy(job, 0);
  job.write(base64, head.length, 'latin1'); // base64 is ASCII: one byte per character
  tail.copy(job, head.length + base64.length);
  return job;
}

function batchBytes(events: GroupedEvent[]): Buffer {
  const bytes = encodeBatch(events);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
