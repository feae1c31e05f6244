import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

export interface RateLimitDecision {
  allowed: boolean;
  /** Seconds until the caller may send again, when not allowed. */
  retryAfter: number;
  /** Events the key may still send in this window, when not allowed (0: none until retryAfter). */
  remaining?: number;
}

/**
 * The `rateLimiter` provider: counts events per public key per minute. The default is per process;
 * a Redis plugin replaces it so every ingest node shares the counts. As in Relay, only what is accepted
 * counts: a request refused whole charges nothing, so a client that splits its batch under what is left
 * gets it through, and a resent batch cannot keep the window full by itself.
 */
export interface RateLimiterProvider {
  consume(key: string, events: number, perMinute: number): Promise<RateLimitDecision>;
}

/** rate-limiter-flexible's memory limiter, one per distinct limit (keys may override the default). */
export class MemoryRateLimiter implements RateLimiterProvider {
  private readonly limiters = new Map<number, RateLimiterMemory>();

  async consume(key: string, events: number, perMinute: number): Promise<RateLimitDecision> {
    let limiter = this.limiters.get(perMinute);
    if (!limiter) {
      limiter = new RateLimiterMemory({ points: perMinute, duration: 60 });
      this.limiters.set(perMinute, limiter);
    }
    return consumeAcceptedOnly(limiter, key, events);
  }
}

/**
 * Charges `events` to `key` on any rate-limiter-flexible limiter, all or nothing: a refused request's
 * events are given back, so only what is accepted counts (the contract above). For providers on other
 * stores (Redis) too.
 */
export async function consumeAcceptedOnly(limiter: RateLimiterAbstract, key: string, events: number): Promise<RateLimitDecision> {
  try {
    await limiter.consume(key, events);
    return { allowed: true, retryAfter: 0 };
  } catch (res) {
    if (!(res instanceof RateLimiterRes)) throw res;
    // consume() has added the refused events; take them back (Relay counts what it accepts)
    const after = await limiter.reward(key, events);
    return { allowed: false, retryAfter: Math.max(1, Math.ceil(res.msBeforeNext / 1000)), remaining: Math.max(0, after.remainingPoints) };
  }
}
