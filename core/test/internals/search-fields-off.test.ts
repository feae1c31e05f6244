import { expect } from 'chai';
import { DEFAULT_LIMITS } from '../../src/config.js';
import { createEventValidator } from '../../src/event/validate-event.js';
import { HookRegistry } from '../../src/hooks/hook-registry.js';
import { runJob, type IngestJob } from '../../src/ingest/ingest-job.js';
import type { GroupedEvent } from '../../src/providers/storage.js';

const validate = createEventValidator(DEFAULT_LIMITS);
const event = (i: number) => ({
  event_id: String(i).padStart(32, '0'),
  message: `boom ${i}`,
  tags: { region: 'eu' },
  user: { id: String(i) },
  exception: { values: [{ type: 'TypeError', value: 'x is undefined', stacktrace: { frames: [{ filename: 'src/a.ts', function: 'run', lineno: 1 }] } }] },
});
const job = (over: Partial<IngestJob> = {}): IngestJob => ({
  kind: 'native',
  body: Buffer.from(JSON.stringify({ events: [event(1), event(2)] })),
  encoding: 'identity',
  projectId: 1,
  receivedAt: Date.parse('2026-03-01T12:00:00.000Z'),
  clientIp: undefined,
  ...over,
});

async function grouped(over: Partial<IngestJob>, hooks?: HookRegistry): Promise<GroupedEvent[]> {
  return (await runJob(job(over), DEFAULT_LIMITS, validate, hooks)).prepared.grouped;
}

describe('ingest without search fields (a storage that keeps no search index)', () => {
  for (const hooked of [false, true]) {
    it(`builds none, and leaves every other field and the payload as they are${hooked ? ' (hooked path)' : ''}`, async () => {
      let hooks: HookRegistry | undefined;
      if (hooked) {
        hooks = new HookRegistry(() => undefined);
        hooks.tap('test', 'ingest:filter', () => true);
      }
      const withSearch = await grouped({}, hooks);
      const without = await grouped({ searchFields: false }, hooks);
      expect(withSearch.every((e) => e.search !== undefined)).to.equal(true);
      expect(without.every((e) => !('search' in e))).to.equal(true);
      expect(without).to.deep.equal(withSearch.map(({ search: _search, ...rest }) => rest));
      expect(without.map((e) => Object.keys(e))).to.deep.equal(withSearch.map((e) => Object.keys(e).filter((k) => k !== 'search')));
    });
  }
});
