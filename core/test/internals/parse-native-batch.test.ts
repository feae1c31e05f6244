import { expect } from 'chai';
import fc from 'fast-check';
import { batchEventRanges } from '../../src/wire/batch-event-ranges.js';
import { parseNativeBatch } from '../../src/wire/parse-native-batch.js';

/** JSON.parse's value for the body, or its error. */
function wholeParse(body: Buffer): { value: unknown } | { error: true } {
  try {
    return { value: JSON.parse(body.toString('utf8')) };
  } catch {
    return { error: true };
  }
}

/** By parts gives what the whole gives (keys in the same order), or nothing; never a value for a body JSON refuses. */
function expectFaithful(json: string | Buffer): ReturnType<typeof parseNativeBatch> {
  const body = Buffer.isBuffer(json) ? json : Buffer.from(json);
  const parts = parseNativeBatch(body);
  if (parts === null) return null;
  const whole = wholeParse(body);
  expect(whole, `accepted what JSON.parse refuses: ${body.toString()}`).to.have.property('value');
  const value = (whole as { value: { events: unknown[] } }).value;
  expect(JSON.stringify(parts.value)).to.equal(JSON.stringify(value));
  expect(parts.value).to.deep.equal(value);
  expect(parts.ranges).to.deep.equal(batchEventRanges(body, value.events.length));
  return parts;
}

describe('parseNativeBatch: a native batch parsed one event at a time', () => {
  it('gives what JSON.parse gives, keys in order, with each event\'s bytes', () => {
    const parts = expectFaithful(' {"discarded": {"x": 1},\n "events" : [ {"a" : "}]"} ,\n\t{"c": null} ] , "z": [1] }\n');
    expect(Object.keys(parts!.value)).to.deep.equal(['discarded', 'events', 'z']);
    expect(parts!.value.events).to.deep.equal([{ a: '}]' }, { c: null }]);
    expect(expectFaithful('{"events":[]}')!.value).to.deep.equal({ events: [] });
  });

  it('gives up on what it cannot vouch for: a single event, repeated or escaped keys, a non-array', () => {
    expect(parseNativeBatch(Buffer.from('{"message":"one event"}'))).to.equal(null);
    expect(parseNativeBatch(Buffer.from('{"events":[{"first":1}],"events":[{"last":1}]}'))).to.equal(null);
    expect(parseNativeBatch(Buffer.from('{"ev\\u0065nts":[{"escaped":1}]}'))).to.equal(null);
    expect(parseNativeBatch(Buffer.from('{"events":"not a list"}'))).to.equal(null);
  });

  it('never accepts a body JSON.parse refuses', () => {
    for (const bad of [
      '{"events":[{}},"x":1}',
      '{"events":[{},]}',
      '{"events":[,{}]}',
      '{"events":[{},,{}]}',
      '{"events":[{} {}]}',
      '{"events":[{} x]}',
      '{"events":[{}:{}]}',
      '{"events":[1 2]}',
      '{"events":[{}]} trailing',
      '{"events":[{}]',
      '{"events" [{}]}',
      '{"events":[{"a":1]]}',
      '\ufeff{"events":[{}]}',
      '{"events":[{"a":"\\x"}]}',
    ]) {
      expect(parseNativeBatch(Buffer.from(bad)), bad).to.equal(null);
    }
  });

  it('decodes broken UTF-8 inside strings as decoding the whole body does', () => {
    const body = Buffer.concat([Buffer.from('{"pre":"\xe2'), Buffer.from([0xe2, 0x82]), Buffer.from('","events":[{"m":"'), Buffer.from([0xf0, 0x9f]), Buffer.from('"},{"m":"'), Buffer.from([0xc3]), Buffer.from('"}],"post":"'), Buffer.from([0xff]), Buffer.from('"}')]);
    expect(expectFaithful(body)).not.to.equal(null);
  });

  it('gives for any batch exactly what JSON.parse gives, or null (property)', () => {
    const batch = fc.record({ before: fc.jsonValue(), events: fc.array(fc.jsonValue(), { maxLength: 8 }), after: fc.jsonValue() }, { requiredKeys: ['events'] });
    fc.assert(
      fc.property(batch, fc.constantFrom(undefined, 1, '\t'), (value, space) => {
        expect(expectFaithful(JSON.stringify(value, null, space))).not.to.equal(null);
      }),
      { numRuns: 300 },
    );
  });

  it('never accepts a damaged batch that JSON.parse refuses, and agrees with it on the rest (property)', () => {
    const batch = fc.record({ events: fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 5 }), after: fc.jsonValue({ maxDepth: 2 }) }, { requiredKeys: ['events'] });
    const damage = fc.record({ at: fc.nat(), cut: fc.nat({ max: 3 }), insert: fc.constantFrom('', ',', '[', ']', '{', '}', '"', ':', ' ', '\\', 'x', '1', ',{}', '\u00e9') });
    fc.assert(
      fc.property(batch, damage, (value, { at, cut, insert }) => {
        const json = JSON.stringify(value);
        const i = at % (json.length + 1);
        expectFaithful(json.slice(0, i) + insert + json.slice(i + cut));
      }),
      { numRuns: 5000 },
    );
  });
});
