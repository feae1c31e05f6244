import { expect } from 'chai';
import { decodeBatch, encodeBatch } from '../../src/index.js';
import { isFaultlineError } from '../../src/errors.js';
import type { GroupedEvent } from '../../src/providers/storage.js';

const utf8 = new TextEncoder();

function grouped(n: number, payload: string, overrides: Partial<GroupedEvent> = {}): GroupedEvent {
  return {
    projectId: 7,
    eventId: n.toString(16).padStart(32, '0'),
    receivedAt: new Date(1_700_000_000_000 + n).toISOString(),
    timestamp: new Date(1_700_000_000_000).toISOString(),
    level: 'error',
    platform: 'node',
    release: n % 2 ? 'api@1.2.3' : null,
    environment: n % 3 ? 'production' : null,
    fingerprint: `fp${n % 4}`,
    groupingVersion: 'v1',
    userKey: n % 2 ? `user-${n}` : null,
    meta: { title: `TypeError: ${n}`, culprit: 'handler at app.js', type: 'TypeError', value: `${n}` },
    payload: utf8.encode(payload),
    ...overrides,
  };
}

function expectCorrupt(bytes: Uint8Array, message: RegExp): void {
  let caught: unknown;
  try {
    decodeBatch(bytes);
  } catch (err) {
    caught = err;
  }
  expect(isFaultlineError(caught), String(caught)).to.equal(true);
  expect((caught as { code: string }).code).to.equal('FAULTLINE_ERR_QUEUE_BATCH_CORRUPT');
  expect((caught as Error).message).to.match(message);
}

describe('batch codec (what a queue carries)', function () {
  it('round-trips every field and the payload bytes exactly, non-ASCII included', function () {
    const batch = [
      grouped(1, '{"message":"Grüße, 東京 🚀"}', { meta: { title: 'Ошибка: ключ', culprit: 'módulo', type: 'Fehler', value: '💥 "quoted"\n' } }),
      grouped(2, '{}'),
      grouped(3, '[1,{"format":"sentry"},{"event_id":"x"}]', { release: 'v☃', environment: 'staging', userKey: 'émile' }),
    ];
    const decoded = decodeBatch(encodeBatch(batch));
    expect(decoded.map((e) => ({ ...e, payload: Buffer.from(e.payload).toString('hex') }))).to.deep.equal(
      batch.map((e) => ({ ...e, payload: Buffer.from(e.payload).toString('hex') })),
    );
  });

  it('carries the search fields grouping extracted (version 2), and still reads version 1 batches without them', function () {
    const search = { text: 'TypeError boom', tags: { 'user.id': '42', browser: 'Firefox' }, filenames: ['app.js'], functions: ['run'] };
    const [withFields, without] = decodeBatch(encodeBatch([grouped(1, '{}', { search }), grouped(2, '{}')]));
    expect(withFields.search).to.deep.equal(search);
    expect(without).not.to.have.property('search');
    // A version 1 batch, as the release before wrote it: 16 fields a tuple, no search fields.
    const head = utf8.encode(JSON.stringify([[7, 'a'.repeat(32), 'r', 't', 'error', 'node', null, null, 'fp', 'v1', null, 'T', 'c', 'T', 'v', 2]]));
    const v1 = new Uint8Array(8 + head.byteLength + 2);
    v1.set([0x46, 0x4c, 0x42, 1]);
    new DataView(v1.buffer).setUint32(4, head.byteLength);
    v1.set(head, 8);
    v1.set(utf8.encode('{}'), 8 + head.byteLength);
    const [old] = decodeBatch(v1);
    expect([old.eventId, Buffer.from(old.payload).toString(), old.search]).to.deep.equal(['a'.repeat(32), '{}', undefined]);
    // Search fields of the wrong shape are a corrupt batch, not a storage error later.
    const bad = encodeBatch([grouped(1, '{}', { search: { ...search, filenames: [1] } as any })]);
    expectCorrupt(bad, /event 0 is malformed/);
  });

  it('frames payloads as they are: their bytes appear in the encoding unchanged', function () {
    const payload = '{"a":"line\\nbreak \\"q\\" 東"}';
    const bytes = encodeBatch([grouped(1, payload)]);
    expect(Buffer.from(bytes).includes(Buffer.from(utf8.encode(payload)))).to.equal(true);
  });

  it('round-trips an empty batch and an empty payload', function () {
    expect(decodeBatch(encodeBatch([]))).to.deep.equal([]);
    const [one] = decodeBatch(encodeBatch([grouped(1, '')]));
    expect(one.payload.byteLength).to.equal(0);
  });

  it('reads a batch that sits inside a larger buffer (a view with an offset)', function () {
    const bytes = encodeBatch([grouped(1, '{"x":1}')]);
    const outer = new Uint8Array(bytes.byteLength + 10);
    outer.set(bytes, 5);
    const [one] = decodeBatch(outer.subarray(5, 5 + bytes.byteLength));
    expect(new TextDecoder().decode(one.payload)).to.equal('{"x":1}');
  });

  it('rejects truncated input at every length with a coded error', function () {
    const bytes = encodeBatch([grouped(1, '{"message":"héllo"}'), grouped(2, '{"b":2}')]);
    for (let length = 0; length < bytes.byteLength; length++) {
      expectCorrupt(bytes.subarray(0, length), /corrupt/);
    }
  });

  it('rejects bad magic, an unknown version, trailing bytes and a malformed head', function () {
    const bytes = encodeBatch([grouped(1, '{}')]);
    const badMagic = bytes.slice();
    badMagic[0] = 0x00;
    expectCorrupt(badMagic, /bad magic/);
    const future = bytes.slice();
    future[3] = 99;
    expectCorrupt(future, /version 99/);
    const trailing = new Uint8Array(bytes.byteLength + 1);
    trailing.set(bytes);
    expectCorrupt(trailing, /after the last payload/);

    const head = utf8.encode('[[1,"x"]]');
    const malformed = new Uint8Array(8 + head.byteLength);
    malformed.set([0x46, 0x4c, 0x42, 1]);
    new DataView(malformed.buffer).setUint32(4, head.byteLength);
    malformed.set(head, 8);
    expectCorrupt(malformed, /event 0 is malformed/);

    const notJson = bytes.slice();
    notJson[8] = 0xff; // the head's first byte: not UTF-8 any more
    expectCorrupt(notJson, /not UTF-8 JSON/);
  });
});
