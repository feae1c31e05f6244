import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import { consumeAcceptedOnly, type RateLimitDecision, type RateLimiterProvider } from '@faultline/core';

/**
 * The `rateLimiter` on Redis: every ingest node charges the same counters, so a key's limit holds across
 * nodes. One rate-limiter-flexible limiter per distinct limit (keys may override the default), each with
 * its own key prefix. While Redis does not answer, a per-process memory limiter stands in (its
 * "insurance"), so ingest still limits instead of failing; the queue answers 503 meanwhile anyway.
 * As core's contract asks, a request refused whole charges nothing.
 */
export class RedisRateLimiter implements RateLimiterProvider {
  private readonly limiters = new Map<number, RateLimiterRedis>();

  constructor(
    private readonly client: Redis,
    private readonly keyPrefix: string,
  ) {}

  async consume(key: string, events: number, perMinute: number): Promise<RateLimitDecision> {
    return consumeAcceptedOnly(this.limiter(perMinute), key, events);
  }

  private limiter(perMinute: number): RateLimiterRedis {
    let limiter = this.limiters.get(perMinute);
    if (!limiter) {
      limiter = new RateLimiterRedis({
        storeClient: this.client,
        keyPrefix: `${this.keyPrefix}:${perMinute}`,
        points: perMinute,
        duration: 60,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory({ points: perMinute, duration: 60 }),
      });
      this.limiters.set(perMinute, limiter);
    }
    return limiter;
  }
}
