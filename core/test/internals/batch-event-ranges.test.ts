import { expect } from 'chai';
import fc from 'fast-check';
import { batchEventRanges } from '../../src/wire/batch-event-ranges.js';

/** Each event's bytes as the ranges give them, or null. */
function slices(json: string): string[] | null {
  const body = Buffer.from(json);
  const parsed = JSON.parse(json);
  const ranges = batchEventRanges(body, parsed.events.length);
  if (ranges === null) return null;
  const out: string[] = [];
  for (let i = 0; i < ranges.length; i += 2) out.push(body.subarray(ranges[i], ranges[i + 1]).toString());
  return out;
}

/** The ranges must give exactly the events JSON.parse gives, or nothing. */
function expectFaithful(json: string): string[] | null {
  const out = slices(json);
  if (out !== null) expect(out.map((s) => JSON.parse(s))).to.deep.equal(JSON.parse(json).events);
  return out;
}

describe('batchEventRanges: each event of a native batch as the bytes it was sent as', () => {
  it('finds each element of the top-level events array, without the whitespace around it', () => {
    expect(expectFaithful('{"events":[{"a":1},{"b":[2,3]}]}')).to.deep.equal(['{"a":1}', '{"b":[2,3]}']);
    expect(expectFaithful(' {\n "discarded": {"x": 1},\n "events" : [ {"a" : "}]"} ,\n\t{"c": null} ] , "z": [1] }\n')).to.deep.equal([
      '{"a" : "}]"}',
      '{"c": null}',
    ]);
  });

  it('reads strings with escaped quotes and backslashes, and multi-byte characters', () => {
    expect(expectFaithful('{"events":[{"m":"say \\"hi\\" \\\\"},{"m":"Grüße 🎉 \\u0041"}]}')).to.deep.equal([
      '{"m":"say \\"hi\\" \\\\"}',
      '{"m":"Grüße 🎉 \\u0041"}',
    ]);
  });

  it('ignores events keys deeper down, and takes the last of repeated top-level keys, as JSON.parse does', () => {
    expect(expectFaithful('{"meta":{"events":[{"no":1}]},"events":[{"yes":1}]}')).to.deep.equal(['{"yes":1}']);
    expect(expectFaithful('{"events":[{"first":1}],"events":[{"last":1}]}')).to.deep.equal(['{"last":1}']);
    expect(expectFaithful('{"events":[{"x":1}],"events":"not a list"}')).to.equal(null);
  });

  it('gives up on a top-level key written with an escape: JSON.parse reads it as another key', () => {
    expect(slices('{"events":[{"raw":1}],"ev\\u0065nts":[{"escaped":1}]}')).to.equal(null);
    expect(slices('{"ev\\u0065nts":[{"escaped":1}]}')).to.equal(null);
  });

  it('finds literals and numbers as elements (validation refuses them later)', () => {
    expect(expectFaithful('{"events":[1.5e3, true,null,"s",[]]}')).to.deep.equal(['1.5e3', 'true', 'null', '"s"', '[]']);
  });

  it('answers null for anything but a top-level object with an events array of the expected length', () => {
    expect(batchEventRanges(Buffer.from('[{"events":[]}]'), 0)).to.equal(null);
    expect(batchEventRanges(Buffer.from('{"events":[{}]}'), 2)).to.equal(null);
    expect(batchEventRanges(Buffer.from('{"events":[]}'), 0)).to.deep.equal([]);
  });

  it('gives for any batch either exactly the events JSON.parse gives or null (property)', () => {
    const batch = fc.record({ before: fc.jsonValue(), events: fc.array(fc.jsonValue(), { maxLength: 8 }), after: fc.jsonValue() }, { requiredKeys: ['events'] });
    fc.assert(
      fc.property(batch, fc.constantFrom(undefined, 1, 2, '\t'), (value, space) => {
        expectFaithful(JSON.stringify(value, null, space));
      }),
      { numRuns: 500 },
    );
  });
});
