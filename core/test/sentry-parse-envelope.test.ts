import { expect } from 'chai';
import { FaultlineError } from '../src/errors.js';
import { parseEnvelope } from '../src/sentry/parse-envelope.js';

function fails(body: Buffer | string, code: string, path?: string): FaultlineError {
  try {
    parseEnvelope(typeof body === 'string' ? Buffer.from(body) : body);
  } catch (err) {
    expect(err).to.be.instanceOf(FaultlineError);
    const e = err as FaultlineError;
    expect(e.code).to.equal(code);
    expect(e.status).to.be.within(400, 499);
    if (path !== undefined) expect(e.path).to.equal(path);
    return e;
  }
  throw new Error('expected parseEnvelope to throw');
}

describe('sentry: parseEnvelope', () => {
  it('reads items without length, the last line without a trailing newline', () => {
    const env = parseEnvelope(Buffer.from('{"event_id":"abc"}\n{"type":"session"}\n{"sid":"1"}\n{"type":"event"}\n{"message":"hi"}'));
    expect(env.header).to.deep.equal({ event_id: 'abc' });
    expect(env.items.map((i) => i.type)).to.deep.equal(['session', 'event']);
    expect(JSON.parse(env.items[1].payload.toString())).to.deep.equal({ message: 'hi' });
  });

  it('reads items with a length in bytes, whose payloads may hold newlines and multi-byte characters', () => {
    const payload = Buffer.from('{"message":"line1\\nzwei ü €"}\n\n{"x":1}');
    const body = Buffer.concat([
      Buffer.from(`{}\n{"type":"attachment","length":${payload.length}}\n`),
      payload,
      Buffer.from('\n{"type":"event","length":16}\n{"message":"ok"}\n'),
    ]);
    const env = parseEnvelope(body);
    expect(env.items).to.have.length(2);
    expect(env.items[0].payload.equals(payload)).to.equal(true);
    expect(env.items[1].payload.toString()).to.equal('{"message":"ok"}');
  });

  it('keeps binary attachment payloads byte for byte', () => {
    const binary = Buffer.from([0x00, 0xff, 0x0a, 0x0d, 0x0a, 0x80, 0x7b, 0x0a]);
    const body = Buffer.concat([Buffer.from('{}\n{"type":"attachment","length":8,"filename":"a.bin"}\n'), binary]);
    const env = parseEnvelope(body);
    expect(env.items[0].payload.equals(binary)).to.equal(true);
    expect(env.items[0].header.filename).to.equal('a.bin');
  });

  it('tolerates a trailing newline, CRLF line ends and an empty envelope (header only)', () => {
    expect(parseEnvelope(Buffer.from('{}\n{"type":"event"}\n{}\n')).items).to.have.length(1);
    expect(parseEnvelope(Buffer.from('{}\r\n{"type":"event"}\r\n{"a":1}\r\n')).items[0].payload.toString()).to.equal('{"a":1}');
    expect(parseEnvelope(Buffer.from('{"dsn":"x"}')).items).to.have.length(0);
  });

  it('accepts a zero-length item and an item with an empty payload line', () => {
    const env = parseEnvelope(Buffer.from('{}\n{"type":"attachment","length":0}\n\n{"type":"session"}\n'));
    expect(env.items.map((i) => i.payload.length)).to.deep.equal([0, 0]);
  });

  it('rejects hostile and broken envelopes with coded 4xx errors', () => {
    fails('', 'FAULTLINE_ERR_INGEST_BODY_EMPTY');
    fails('not json\n{"type":"event"}\n{}', 'FAULTLINE_ERR_INGEST_ENVELOPE', 'header');
    fails('[1,2]\n', 'FAULTLINE_ERR_INGEST_ENVELOPE', 'header');
    fails('{}\n{"type":"event"', 'FAULTLINE_ERR_INGEST_ENVELOPE', 'items[0]');
    fails('{}\n{"length":2}\n{}', 'FAULTLINE_ERR_INGEST_ENVELOPE', 'items[0].type');
    fails('{}\n{"type":"event","length":500}\n{"message":"short"}', 'FAULTLINE_ERR_INGEST_ENVELOPE', 'items[0].length');
    fails('{}\n{"type":"event","length":-1}\n{}', 'FAULTLINE_ERR_INGEST_ENVELOPE', 'items[0].length');
    fails('{}\n{"type":"event","length":"7"}\n{}', 'FAULTLINE_ERR_INGEST_ENVELOPE', 'items[0].length');
    fails('{}\n{"type":"event","length":2}\n{}garbage', 'FAULTLINE_ERR_INGEST_ENVELOPE', 'items[0]');
    fails('{}\n{"type":"event"}', 'FAULTLINE_ERR_INGEST_ENVELOPE', 'items[0]'); // truncated: header, no payload
  });

  it('limits the number of items', () => {
    const many = '{}\n' + '{"type":"session"}\n{}\n'.repeat(5);
    expect(() => parseEnvelope(Buffer.from(many), { maxItems: 4 })).to.throw(FaultlineError).with.property('path', 'items[4]');
  });
});
