import { FaultlineError } from '../errors.js';

/**
 * Bounds the request-body bytes a process holds at once, in all and per public key. A body is held from
 * its first byte until its answer is sent (read, decompressed, parsed, queued), so without a bound a few
 * dozen concurrent 20 MB bodies, which need only a public key (every browser DSN has one), take the
 * process's memory to gigabytes, and the allocator keeps it. Past the bound ingest answers 503 with
 * Retry-After: a declared Content-Length is checked before any byte is read, a chunked body as it arrives.
 * The first body in flight (in all, or of a key) is always let in, so a bound below one body's size
 * still lets bodies through one at a time.
 */
export class BodyBudget {
  private total = 0;
  private readonly byKey = new Map<number, number>();

  constructor(
    private readonly maxBytes: number,
    private readonly maxKeyBytes: number,
  ) {}

  /** A reservation for one request's body; `keyId` null when the key is only known from the body. */
  open(keyId: number | null): BodyReservation {
    return new BodyReservation(this, keyId);
  }

  get bytesInFlight(): number {
    return this.total;
  }

  /** @internal */
  take(keyId: number | null, n: number): boolean {
    const forKey = keyId === null ? 0 : (this.byKey.get(keyId) ?? 0);
    if (this.total > 0 && this.total + n > this.maxBytes) return false;
    if (forKey > 0 && forKey + n > this.maxKeyBytes) return false;
    this.total += n;
    if (keyId !== null) this.byKey.set(keyId, forKey + n);
    return true;
  }

  /** @internal */
  give(keyId: number | null, n: number): void {
    this.total -= n;
    if (keyId === null) return;
    const left = (this.byKey.get(keyId) ?? 0) - n;
    if (left > 0) this.byKey.set(keyId, left);
    else this.byKey.delete(keyId);
  }
}

export class BodyReservation {
  private held = 0;
  private released = false;

  constructor(
    private readonly budget: BodyBudget,
    private readonly keyId: number | null,
  ) {}

  /** Holds `n` more bytes; throws the 503 when they do not fit. */
  add(n: number, unreadBody: boolean): void {
    if (this.released) return;
    if (!this.budget.take(this.keyId, n)) throw overloaded(unreadBody);
    this.held += n;
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    this.budget.give(this.keyId, this.held);
    this.held = 0;
  }
}

const RETRY_AFTER_SECONDS = 2;

function overloaded(unreadBody: boolean): FaultlineError {
  return new FaultlineError('FAULTLINE_ERR_INGEST_OVERLOADED', 'Too many request bytes in flight; retry later', {
    retryAfter: RETRY_AFTER_SECONDS,
    // The rest of the body is not read: the connection cannot carry another request.
    headers: unreadBody ? { Connection: 'close' } : undefined,
  });
}
