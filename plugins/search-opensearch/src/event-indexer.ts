import { decodePayload, FaultlineError, groupByProject, type EventRecord, type StorageProvider } from '@faultline/core';
import type { Logger } from 'pino';
import { eventDocument } from './event-document.js';
import { eventIndexName } from './event-index.js';
import type { OpenSearchApi } from './opensearch-api.js';

/** An event to index, as `event:stored` names it. */
export interface EventRef {
  projectId: number;
  eventId: string;
  issueId: string;
  receivedAt: string;
}

/** Statuses worth another attempt: the cluster is busy or briefly away. */
const RETRYABLE = new Set([429, 502, 503, 504]);

/**
 * Writes events into their daily indices with bulk requests. The document id is the event id and the
 * index is the event's day, so indexing an event again (a retried job, a reindex) overwrites it.
 * Documents the cluster refuses for a passing reason make the call throw (the job is retried with
 * backoff); one refused for good (a mapping conflict) is logged and left out.
 */
export class EventIndexer {
  constructor(
    private readonly api: OpenSearchApi,
    private readonly storage: () => StorageProvider,
    private readonly options: { indexPrefix: string; batchSize: number },
    private readonly log: Logger,
  ) {}

  /**
   * Indexes stored events by reference: per project, one read of the time range they span (the storage
   * streams it), keeping the referenced ones.
   */
  async indexRefs(refs: EventRef[]): Promise<number> {
    let indexed = 0;
    for (const [projectId, list] of groupByProject(refs)) {
      const wanted = new Set(list.map((r) => r.eventId.replace(/-/g, '').toLowerCase()));
      const times = list.map((r) => Date.parse(r.receivedAt));
      const range = { from: new Date(Math.min(...times)), to: new Date(Math.max(...times) + 1) };
      const batch: EventRecord[] = [];
      for await (const record of this.storage().streamEvents(projectId, range, { batchSize: this.options.batchSize })) {
        if (!wanted.has(record.eventId.replace(/-/g, '').toLowerCase())) continue;
        batch.push(record);
        if (batch.length >= this.options.batchSize) indexed += await this.indexRecords(batch.splice(0));
      }
      indexed += await this.indexRecords(batch);
    }
    return indexed;
  }

  /** Indexes stored events as the storage gives them; resolves how many the cluster took. */
  async indexRecords(records: EventRecord[]): Promise<number> {
    if (records.length === 0) return 0;
    const docs = records.map((r) => ({
      index: eventIndexName(this.options.indexPrefix, r.receivedAt),
      id: r.eventId,
      doc: eventDocument(r, decodePayload(r.payload)),
    }));
    const { failed } = await this.api.bulkIndex(docs);
    const retry = failed.filter((f) => RETRYABLE.has(f.status));
    const refused = failed.filter((f) => !RETRYABLE.has(f.status));
    for (const f of refused) this.log.error({ eventId: docs[f.position].id, status: f.status, reason: f.reason }, 'OpenSearch refused an event');
    if (retry.length > 0) {
      throw new FaultlineError('FAULTLINE_ERR_UNAVAILABLE', `OpenSearch refused ${retry.length} of ${docs.length} events for now (${retry[0].reason})`);
    }
    return docs.length - refused.length;
  }
}
