/** A random 32-hex event id, so retries of one event are idempotent server-side. */
export function uuid(): string {
  let hex = '';
  for (const b of crypto.getRandomValues(new Uint8Array(16))) hex += (b + 256).toString(16).slice(1);
  return hex;
}
