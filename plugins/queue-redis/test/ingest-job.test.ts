import { expect } from 'chai';
import BeeQueue from 'bee-queue';
import { encodeBatch } from '@faultline/core';
import { ingestJobBytes, ingestJobEvents } from '../src/ingest-job.js';
import { groupedEvent } from './helpers/grouped.js';

describe('queue-redis: an ingest job as bytes', () => {
  it('is the JSON bee-queue itself would store for the same job, and gives back the events', () => {
    const events = [groupedEvent(), groupedEvent()];
    const bytes = ingestJobBytes(events, { retries: 3, retryDelayMs: 250 }, 1_700_000_000_000);
    const bee = new BeeQueue('unused', { isWorker: false, getEvents: false, sendEvents: false, redis: { lazyConnect: true } as BeeQueue.QueueSettings['redis'] });
    try {
      const batch = Buffer.from(encodeBatch(events)).toString('base64');
      const job = bee.createJob({ batch, events: 2 }).retries(3).backoff('exponential', 250);
      job.options.timestamp = 1_700_000_000_000;
      expect(JSON.parse(bytes.toString('utf8'))).to.deep.equal(JSON.parse((job as unknown as { toData(): string }).toData()));
      const back = ingestJobEvents(JSON.parse(bytes.toString('utf8')).data);
      expect(back.map((e) => e.eventId)).to.deep.equal(events.map((e) => e.eventId));
    } finally {
      void bee.close();
    }
  });
});
