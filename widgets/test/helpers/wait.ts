import { expect } from 'chai';

/** Reads until `ok` holds (or fails with the last value read): for what the page shows after some work. */
export async function waitUntil<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) {
      expect(ok(value), `last value: ${JSON.stringify(value)}`).to.equal(true);
      return value;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
