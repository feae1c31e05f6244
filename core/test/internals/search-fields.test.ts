import { expect } from 'chai';
import type { CanonicalEvent } from '../../src/event/types.js';
import { eventSearchFields, SEARCH_FIELD_LIMITS } from '../../src/ingest/search-fields.js';

const base: CanonicalEvent = { event_id: 'a'.repeat(32), timestamp: '2026-03-01T00:00:00Z', level: 'error', platform: 'node', tags: {} };

describe('eventSearchFields', () => {
  it('keeps the message and every exception\'s type and value as text, and the user as user.* tags', () => {
    const fields = eventSearchFields({
      ...base,
      message: 'checkout failed',
      tags: { browser: 'Chrome' },
      user: { id: 7, email: 'ann@example.com', username: '', ip_address: '10.0.0.1' },
      exception: { values: [{ type: 'CauseError', value: 'inner' }, { type: 'TypeError', value: 'outer' }] },
    });
    expect(fields.text).to.equal('checkout failed\nCauseError inner\nTypeError outer');
    expect(fields.tags).to.deep.equal({ browser: 'Chrome', 'user.id': '7', 'user.email': 'ann@example.com', 'user.ip': '10.0.0.1' });
  });

  it('keeps the innermost distinct frames, within bounds', () => {
    const frames = Array.from({ length: 30 }, (_, i) => ({ filename: `f${i % 15}.ts`, function: `fn${i}` }));
    const fields = eventSearchFields({ ...base, exception: { values: [{ type: 'E', value: 'v', stacktrace: { frames } }] } });
    expect(fields.filenames).to.have.length(SEARCH_FIELD_LIMITS.frames);
    expect(fields.filenames[0]).to.equal('f14.ts');
    expect(fields.functions[0]).to.equal('fn29');
    const long = eventSearchFields({ ...base, message: 'x'.repeat(10_000), tags: { k: 'v'.repeat(1000) } });
    expect(long.text).to.have.length(SEARCH_FIELD_LIMITS.textChars);
    expect(long.tags.k).to.have.length(SEARCH_FIELD_LIMITS.valueChars);
  });

  it('drops NUL and mends lone surrogates, which PostgreSQL text and jsonb refuse', () => {
    const fields = eventSearchFields({ ...base, message: 'a\u0000b \ud83d', tags: { 'k\u0000': 'x\udc00y' } });
    expect(fields.text).to.equal('ab \ufffd');
    expect(fields.tags).to.deep.equal({ k: 'x\ufffdy' });
  });
});
