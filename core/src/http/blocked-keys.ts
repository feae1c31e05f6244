/**
 * Keys the rate limiter turned away, and until when. A request from such a key is refused before its
 * body is parsed (native and store: before it is even read; an envelope: its event items are counted,
 * not parsed, so sessions and reports still pass), instead of costing a full parse for a 429. What the
 * limiter answered stands until its window ends, so this refuses only what it would refuse too. Per
 * process, fed by whichever rateLimiter provider is in use.
 */
export class BlockedKeys {
  private readonly until = new Map<number, number>();

  block(keyId: number, retryAfterSeconds: number): void {
    this.until.set(keyId, Date.now() + retryAfterSeconds * 1000);
  }

  /** Seconds until the key may send again; 0 when it is not known to be blocked. */
  retryAfter(keyId: number): number {
    const until = this.until.get(keyId);
    if (until === undefined) return 0;
    const left = until - Date.now();
    if (left > 0) return Math.ceil(left / 1000);
    this.until.delete(keyId);
    return 0;
  }
}
