import { expect } from 'chai';
import type { CanonicalEvent } from '../../src/event/types.js';
import { toGroupedEvent } from '../../src/ingest/group-event.js';
import { decodePayload } from '../../src/providers/storage.js';

const event = (message: string): CanonicalEvent =>
  ({ event_id: 'a'.repeat(32), timestamp: '2026-01-01T00:00:00.000Z', level: 'error', platform: 'node', message, tags: {} }) as CanonicalEvent;

describe('grouped events carry their payload as UTF-8 bytes', () => {
  it('round-trips through decodePayload', () => {
    const source = event('ü中🚀 "quoted" \\ back\nslash');
    expect(decodePayload(toGroupedEvent(1, new Date().toISOString(), source, ['x']).payload)).to.deep.equal(source);
  });

  it('keeps lone surrogates as JSON escapes, so storage gets valid UTF-8 and reads back what was sent', () => {
    const source = event('a\uD800b \uDC00 end\uD83D');
    const grouped = toGroupedEvent(1, new Date().toISOString(), source, ['x']);
    expect(new TextDecoder('utf-8', { fatal: true }).decode(grouped.payload)).to.include('a\\ud800b \\udc00 end\\ud83d');
    expect(decodePayload(grouped.payload)).to.deep.equal(source);
  });

  it('owns its whole ArrayBuffer, so it can move to another thread without detaching anything else', () => {
    const { payload } = toGroupedEvent(1, new Date().toISOString(), event('small'), ['x']);
    expect(payload.byteOffset).to.equal(0);
    expect(payload.byteLength).to.equal(payload.buffer.byteLength);
  });
});
