import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

export interface RateLimitDecision {
  allowed: boolean;
  /** Seconds until the caller may send again, when not allowed. */
  retryAfter: number;
}

/**
 * The `rateLimiter` provider: counts events per public key per minute. The default is per process;
 * a Redis plugin replaces it so every ingest node shares the counts.
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
    try {
      await limiter.consume(key, events);
      return { allowed: true, retryAfter: 0 };
    } catch (res) {
      if (res instanceof RateLimiterRes) return { allowed: false, retryAfter: Math.max(1, Math.ceil(res.msBeforeNext / 1000)) };
      throw res;
    }
  }
}
