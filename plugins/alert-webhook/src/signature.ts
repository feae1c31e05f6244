import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-faultline-signature';
export const TIMESTAMP_HEADER = 'x-faultline-timestamp';
/** How old a timestamp a receiver accepts by default: 5 minutes. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** `v1=<hex HMAC-SHA256 of "<timestamp>.<body>" with the secret>`. */
export function sign(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export interface VerifyInput {
  secret: string;
  /** The raw body, exactly as received (not re-serialized JSON). */
  body: string;
  /** The X-Faultline-Timestamp header. */
  timestamp: string | undefined | null;
  /** The X-Faultline-Signature header. */
  signature: string | undefined | null;
  toleranceSeconds?: number;
  /** Seconds since the epoch; default now. */
  now?: number;
}

export type VerifyResult = { ok: true } | { ok: false; reason: 'missing' | 'stale' | 'mismatch' };

/**
 * What a receiver runs: the signature must match the timestamp and body, and the timestamp must be
 * recent (a captured request replayed later is refused). Compared in constant time.
 */
export function verifySignature(input: VerifyInput): VerifyResult {
  const ts = Number(input.timestamp);
  if (!input.signature || !input.timestamp || !Number.isInteger(ts)) return { ok: false, reason: 'missing' };
  const now = input.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - ts) > (input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(sign(input.secret, ts, input.body));
  const given = Buffer.from(input.signature);
  return expected.length === given.length && timingSafeEqual(expected, given) ? { ok: true } : { ok: false, reason: 'mismatch' };
}
