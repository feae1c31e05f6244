import { deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { errorEvent } from '../helpers/http.js';

/** One request an ingest route must answer without a 5xx. */
export interface HostileRequest {
  kind: string;
  route: 'native' | 'envelope' | 'store';
  headers: Record<string, string>;
  body: Uint8Array;
}

const utf8 = (s: string) => new TextEncoder().encode(s);

/** A request that prints as a short line when fast-check reports it, not as megabytes of bytes. */
function request(kind: string, route: HostileRequest['route'], headers: Record<string, string>, body: Uint8Array): HostileRequest {
  const preview = Buffer.from(body.subarray(0, 160)).toString('latin1');
  return Object.assign({ kind, route, headers, body }, {
    [fc.toStringMethod]: () => `${kind} to ${route} ${JSON.stringify(headers)} (${body.length} bytes): ${JSON.stringify(preview)}`,
  });
}
const json = (v: unknown) => utf8(JSON.stringify(v));
const JSON_TYPE = { 'content-type': 'application/json' };

/** Paths into a valid event whose value a type-confused sender replaces. */
const EVENT_PATHS: (string | number)[][] = [
  ['event_id'], ['timestamp'], ['level'], ['platform'], ['message'], ['release'], ['environment'], ['tags'], ['extra'],
  ['user'], ['user', 'id'], ['user', 'ip_address'], ['contexts'], ['fingerprint'], ['breadcrumbs'], ['request'],
  ['exception'], ['exception', 'values'], ['exception', 'values', 0], ['exception', 'values', 0, 'type'],
  ['exception', 'values', 0, 'stacktrace'], ['exception', 'values', 0, 'stacktrace', 'frames'],
  ['exception', 'values', 0, 'stacktrace', 'frames', 1], ['exception', 'values', 0, 'stacktrace', 'frames', 1, 'lineno'],
  ['exception', 'values', 0, 'stacktrace', 'frames', 1, 'in_app'], ['sdk'], ['logentry'], ['threads'],
];

function setPath(target: any, path: (string | number)[], value: unknown): any {
  const copy = structuredClone(target);
  let node = copy;
  for (const key of path.slice(0, -1)) {
    if (node[key] === null || typeof node[key] !== 'object') node[key] = {};
    node = node[key];
  }
  node[path[path.length - 1]] = value;
  return copy;
}

/** Values of the wrong type, including the ones JSON parsers and validators trip on. */
const confusedValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(null, true, 0, -1, 1e308, -0, '', '{{auto}}', '__proto__', [], {}, [[[]]]),
  fc.constant({ __proto__: { polluted: true } }),
  fc.constant({ constructor: { prototype: { polluted: true } } }),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

/** Nesting from modest to far past every depth limit, built without recursion. */
const deepValue = fc.tuple(fc.integer({ min: 10, max: 20_000 }), fc.boolean()).map(([depth, arrays]) => {
  const open = arrays ? '[' : '{"a":';
  const close = arrays ? ']' : '}';
  return open.repeat(depth) + '1' + close.repeat(depth);
});

function lyingEnvelope(eventJson: string, lie: number, projectKey: string): Uint8Array {
  const header = JSON.stringify({ event_id: 'f'.repeat(32), dsn: `http://${projectKey}@127.0.0.1/1` });
  const itemHeader = JSON.stringify({ type: 'event', length: Math.max(0, Buffer.byteLength(eventJson) + lie) });
  return utf8(`${header}\n${itemHeader}\n${eventJson}\n`);
}

/**
 * The arbitrary of hostile requests: random JSON, type confusion, huge and deep values, invalid UTF-8,
 * broken compression and envelopes whose lengths lie, spread over the three ingest routes.
 */
export function hostileRequest(projectKey: string): fc.Arbitrary<HostileRequest> {
  const route = fc.constantFrom<'native' | 'store'>('native', 'store');
  return fc.oneof(
    fc.tuple(route, fc.jsonValue()).map(([r, v]) => request('random json', r, JSON_TYPE, json(v))),
    fc.tuple(route, fc.constantFrom(...EVENT_PATHS), confusedValue).map(([r, path, value]) =>
      request(`type confusion at ${path.join('.')}`, r, JSON_TYPE, json(setPath(errorEvent(), path, value))),
    ),
    fc.tuple(route, deepValue, fc.constantFrom('extra', 'contexts', 'tags', 'message', 'breadcrumbs')).map(([r, deep, field]) =>
      request('deep', r, JSON_TYPE, utf8(`{"message":"deep","${field}":${deep}}`)),
    ),
    fc.tuple(route, fc.integer({ min: 10_000, max: 3_000_000 }), fc.constantFrom('message', 'extra', 'tags', 'frames')).map(([r, size, where]) => {
      const big = 'x'.repeat(size);
      const event: any = errorEvent();
      if (where === 'message') event.message = big;
      else if (where === 'extra') event.extra = { blob: big };
      else if (where === 'tags') event.tags = Object.fromEntries(Array.from({ length: Math.min(5000, size / 100) }, (_, i) => [`k${i}`, 'v']));
      else event.exception.values[0].stacktrace.frames = Array.from({ length: Math.min(20_000, size / 100) }, (_, i) => ({ function: `f${i}` }));
      return request('huge', r, JSON_TYPE, json(event));
    }),
    fc.tuple(route, fc.uint8Array({ minLength: 1, maxLength: 8 }), fc.nat({ max: 200 })).map(([r, bad, at]) => {
      const good = json(errorEvent({ value: 'é'.repeat(100) }));
      const cut = Math.min(at, good.length);
      const body = new Uint8Array(good.length + bad.length);
      body.set(good.subarray(0, cut));
      body.set(bad.map((b) => b | 0x80), cut); // high bytes: mostly invalid UTF-8 sequences
      body.set(good.subarray(cut), cut + bad.length);
      return request('invalid utf-8', r, JSON_TYPE, body);
    }),
    fc.tuple(route, fc.constantFrom('gzip', 'deflate', 'br', 'x-unknown'), fc.constantFrom('truncate', 'flip', 'plain', 'bomb')).map(
      ([r, encoding, damage]) => {
        const plain = json(errorEvent());
        let body: Uint8Array = encoding === 'deflate' ? deflateSync(plain) : gzipSync(plain);
        if (damage === 'truncate') body = body.subarray(0, Math.max(1, body.length >> 1));
        if (damage === 'flip') body = body.map((b, i) => (i > 12 && i % 7 === 0 ? b ^ 0xff : b));
        if (damage === 'plain') body = plain;
        if (damage === 'bomb') body = gzipSync(Buffer.alloc(40 * 1024 * 1024, 0x20));
        return request(`broken ${encoding}`, r, { ...JSON_TYPE, 'content-encoding': encoding }, body);
      },
    ),
    fc.tuple(fc.integer({ min: -500, max: 100_000_000 }), fc.boolean()).map(([lie, trailing]) => {
      const body = lyingEnvelope(JSON.stringify(errorEvent()), lie, projectKey);
      return request('lying envelope', 'envelope', {}, trailing ? body : body.subarray(0, body.length - 1));
    }),
    fc.array(fc.oneof(fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)), fc.string()), { maxLength: 8 }).map((lines) => request('random envelope', 'envelope', {}, utf8(lines.join('\n')))),
  );
}
