import { expect } from 'chai';
import { DEFAULT_LIMITS } from '../../src/config.js';
import type { CanonicalEvent } from '../../src/event/types.js';
import { createEventValidator } from '../../src/event/validate-event.js';
import { FaultlineError } from '../../src/errors.js';
import { canonicalPayload, decodePayload, PAYLOAD_VERSION, sentPayload, type SentRecipe } from '../../src/ingest/event-payload.js';
import { prepareEvents } from '../../src/ingest/prepare-events.js';
import { normalizeEvent } from '../../src/ingest/normalize-event.js';
import { mapSentryEvent } from '../../src/sentry/map-sentry-event.js';

const event = (message: string): CanonicalEvent =>
  ({ event_id: 'a'.repeat(32), timestamp: '2026-01-01T00:00:00.000Z', level: 'error', platform: 'node', message, tags: {} }) as CanonicalEvent;

const receivedAt = '2026-03-01T12:00:00.000Z';
const recipe = (over: Partial<SentRecipe> = {}): SentRecipe => ({
  format: 'sentry',
  eventId: 'b'.repeat(32),
  receivedAt,
  clientIp: '203.0.113.9',
  maxStringLength: DEFAULT_LIMITS.maxStringLength,
  maxBreadcrumbs: DEFAULT_LIMITS.maxBreadcrumbs,
  ...over,
});

/** What ingest makes of an event (map, validate, normalize), serialized and read back: the canonical form. */
function canonicalOf(sent: object, r: SentRecipe): CanonicalEvent {
  const validate = createEventValidator(DEFAULT_LIMITS);
  const copy = JSON.parse(JSON.stringify(sent));
  const mapped = (r.format === 'sentry' ? mapSentryEvent(copy) : copy) as Record<string, unknown>;
  mapped.event_id ??= r.eventId;
  const limits = { maxStringLength: r.maxStringLength, maxBreadcrumbs: r.maxBreadcrumbs };
  const normalized = normalizeEvent(validate(mapped), { receivedAt: new Date(r.receivedAt), clientIp: r.clientIp ?? undefined, limits });
  return JSON.parse(JSON.stringify(normalized));
}

describe('event payloads', () => {
  describe('the canonical event, serialized', () => {
    it('round-trips through decodePayload', () => {
      const source = event('ü中🚀 "quoted" \\ back\nslash');
      expect(decodePayload(canonicalPayload(source))).to.deep.equal(source);
    });

    it('keeps lone surrogates as JSON escapes, so storage gets valid UTF-8 and reads back what was sent', () => {
      const source = event('a\uD800b \uDC00 end\uD83D');
      const payload = canonicalPayload(source);
      expect(new TextDecoder('utf-8', { fatal: true }).decode(payload)).to.include('a\\ud800b \\udc00 end\\ud83d');
      expect(decodePayload(payload)).to.deep.equal(source);
    });
  });

  describe('the event as sent, with its recipe', () => {
    it('decodes to the canonical event ingest made of it (Sentry shapes mapped, fields normalized)', () => {
      const sent = {
        timestamp: 1772366400.25,
        level: 'warn',
        logentry: { message: 'user %s failed', params: ['ana'] },
        exception: [{ type: 'TypeError', value: 'x is undefined', stacktrace: { frames: [{ filename: 'node_modules/a.js' }, { filename: 'app.js' }] } }],
        breadcrumbs: { values: [{ message: 'clicked', level: 'warn' }] },
        tags: [['region', 'eu'], ['n', 3]],
        user: { ip_address: '{{auto}}' },
        extra: { long: 'x'.repeat(DEFAULT_LIMITS.maxStringLength + 50) },
        'sentry.interfaces.Http': { url: 'https://shop.example/cart', headers: [['Accept', 'text/html']] },
        unknown_field: { kept: true },
      };
      const r = recipe();
      const decoded = decodePayload(sentPayload(Buffer.from(`\r\n${JSON.stringify(sent)} `), r)!);
      expect(JSON.parse(JSON.stringify(decoded))).to.deep.equal(canonicalOf(sent, r));
      expect(decoded.event_id).to.equal(r.eventId);
      expect(decoded.user?.ip_address).to.equal('203.0.113.9');
      expect((decoded.extra as { long: string }).long).to.have.length(DEFAULT_LIMITS.maxStringLength);
    });

    it('normalizes a native event with the limits and address it was received with', () => {
      const sent = { message: 'm'.repeat(100), breadcrumbs: [{ message: '1' }, { message: '2' }, { message: '3' }], user: { ip_address: '{{auto}}' } };
      const r = recipe({ format: 'native', clientIp: null, maxStringLength: 10, maxBreadcrumbs: 2 });
      const decoded = decodePayload(sentPayload(Buffer.from(JSON.stringify(sent)), r)!);
      expect(JSON.parse(JSON.stringify(decoded))).to.deep.equal(canonicalOf(sent, r));
      expect(decoded.message).to.equal(`${'m'.repeat(9)}…`);
      expect(decoded.breadcrumbs?.map((b) => b.message)).to.deep.equal(['2', '3']);
      expect(decoded.user).to.deep.equal({});
      expect(decoded.timestamp).to.equal(receivedAt);
    });

    it('keeps multi-byte text and escapes byte for byte', () => {
      const sent = Buffer.from('{"message":"ü中🚀 \\"q\\" \\u0000 \\ud800"}');
      const payload = sentPayload(sent, recipe({ format: 'native' }))!;
      expect(Buffer.from(payload).includes(sent)).to.equal(true);
      expect(decodePayload(payload).message).to.equal('ü中🚀 "q" \u0000 \ud800');
    });

    it('is refused for bytes that are not UTF-8, which are then serialized instead', () => {
      expect(sentPayload(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]), recipe())).to.equal(null);
    });

    it('reads back a string as well as bytes (what a database driver returns)', () => {
      const payload = sentPayload(Buffer.from('{"message":"hi"}'), recipe({ format: 'native' }))!;
      expect(decodePayload(new TextDecoder().decode(payload))).to.deep.equal(decodePayload(payload));
    });

    it('fails with a coded error on a version it does not know (a row from a newer Faultline)', () => {
      const r = JSON.stringify(recipe());
      for (const payload of [`[99,${r},{}]`, `["2",${r},{}]`, `[null,${r},{}]`, '[]']) {
        expect(() => decodePayload(payload), payload).to.throw(FaultlineError).with.property('code', 'FAULTLINE_ERR_PAYLOAD_VERSION');
      }
    });

    it('fails with a coded error on a payload that is not one', () => {
      for (const payload of ['{"message":', '"text"', 'null', '[2,{},{}]', `[2,${JSON.stringify(recipe())},[1]]`, `[1,${JSON.stringify(recipe({ format: 'x' as 'native' }))},{}]`]) {
        expect(() => decodePayload(payload), payload).to.throw(FaultlineError).with.property('code', 'FAULTLINE_ERR_PAYLOAD_INVALID');
      }
    });

    it('writes the current version, and still reads version 1', () => {
      const sent = Buffer.from('{"message":"hi","level":"warn"}');
      const payload = sentPayload(sent, recipe({ format: 'native' }))!;
      expect(new TextDecoder().decode(payload).startsWith(`[${PAYLOAD_VERSION},`)).to.equal(true);
      const v1 = new TextDecoder().decode(payload).replace(/^\[\d+,/, '[1,');
      expect(decodePayload(v1)).to.deep.equal(decodePayload(payload));
    });
  });

  it('records the client address only for an event that asked for it with {{auto}}', () => {
    const prepare = (event: object) => {
      const bytes = Buffer.from(JSON.stringify(event));
      const ctx = { projectId: 1, receivedAt: new Date(receivedAt), clientIp: '203.0.113.9', limits: DEFAULT_LIMITS, validate: createEventValidator(DEFAULT_LIMITS) };
      const [grouped] = prepareEvents([JSON.parse(bytes.toString())], { ...ctx, sent: { format: 'native', bytes: [bytes] } }).grouped;
      return { text: new TextDecoder().decode(grouped.payload), event: decodePayload(grouped.payload) };
    };
    const auto = prepare({ message: 'a', user: { id: '7', ip_address: '{{auto}}' } });
    expect(auto.text.startsWith(`[${PAYLOAD_VERSION},`)).to.equal(true);
    expect(auto.event.user).to.deep.equal({ id: '7', ip_address: '203.0.113.9' });
    for (const user of [undefined, { id: '7' }, { ip_address: '198.51.100.1' }]) {
      const plain = prepare({ message: 'b', user });
      expect(plain.text).to.not.include('203.0.113.9');
      expect(plain.event.user).to.deep.equal(user);
    }
  });

  it('serializes an event whose bytes as sent are over the event limit (padding), rather than keep them', () => {
    const bytes = Buffer.from(`${' '.repeat(DEFAULT_LIMITS.maxEventBytes)}{"message":"padded"}`);
    const ctx = { projectId: 1, receivedAt: new Date(receivedAt), clientIp: undefined, limits: DEFAULT_LIMITS, validate: createEventValidator(DEFAULT_LIMITS) };
    const [grouped] = prepareEvents([JSON.parse(bytes.toString())], { ...ctx, sent: { format: 'native', bytes: [bytes] } }).grouped;
    expect(grouped.payload.length).to.be.below(1000);
    expect(decodePayload(grouped.payload).message).to.equal('padded');
  });

  it('owns its whole ArrayBuffer, so it can move to another thread without detaching anything else', () => {
    for (const payload of [canonicalPayload(event('small')), sentPayload(Buffer.from('{"a":1}'), recipe())!]) {
      expect(payload.byteOffset).to.equal(0);
      expect(payload.byteLength).to.equal(payload.buffer.byteLength);
    }
  });
});
