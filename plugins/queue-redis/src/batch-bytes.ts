import type { GroupedEvent } from '@faultline/core';

/**
 * Stand-in for core's `encodeBatch` / `decodeBatch` until they are published: the one place this plugin
 * turns a batch into bytes and back. JSON with each payload as base64; swap for core's codec, which owns
 * the format, by changing only this file.
 */
export function encodeBatch(events: GroupedEvent[]): Uint8Array {
  const plain = events.map((e) => ({ ...e, payload: Buffer.from(e.payload.buffer, e.payload.byteOffset, e.payload.byteLength).toString('base64') }));
  return new TextEncoder().encode(JSON.stringify({ v: 0, events: plain }));
}

export function decodeBatch(bytes: Uint8Array): GroupedEvent[] {
  const { events } = JSON.parse(new TextDecoder().decode(bytes)) as { events: Array<Omit<GroupedEvent, 'payload'> & { payload: string }> };
  return events.map((e) => ({ ...e, payload: new Uint8Array(Buffer.from(e.payload, 'base64')) }));
}
