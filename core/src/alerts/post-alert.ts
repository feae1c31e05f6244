import { FaultlineError } from '../errors.js';

export interface PostAlertOptions {
  headers?: Record<string, string>;
  /** One request's timeout. Default 10 s. */
  timeoutMs?: number;
  /** A 429's Retry-After is waited out within the call when it is at most this long. Default 30 s. */
  maxRetryAfterMs?: number;
  /** Retries within the call after 429s. Default 3. */
  maxRateLimitRetries?: number;
  /** Names the receiver in errors (`Slack`); the URL never appears in an error, it is a secret. */
  receiver: string;
}

/** Seconds or an HTTP date, as Retry-After may be; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/**
 * POSTs an alert channel's body to a receiver's URL (Slack, a webhook): one timeout per request, 429 with
 * Retry-After waited out (then tried again) when the wait is short, else a retryable error carrying it.
 * Outcomes map onto the delivery job's retry policy: 2xx resolves; 408, 429 and 5xx and network errors
 * reject with a retryable FaultlineError (503); any other 4xx rejects with a 400, which is not retried
 * (the config or the payload is wrong, and trying again will not change that).
 */
export async function postAlert(url: string, body: string, options: PostAlertOptions): Promise<Response> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxWait = options.maxRetryAfterMs ?? 30_000;
  for (let retries = 0; ; retries++) {
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...options.headers },
        body,
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'error',
      });
    } catch (err) {
      const why = (err as Error)?.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : `unreachable (${(err as { cause?: { code?: string } })?.cause?.code ?? (err as Error)?.message})`;
      throw new FaultlineError('FAULTLINE_ERR_UNAVAILABLE', `${options.receiver}: ${why}`);
    }
    if (res.ok) return res;
    const detail = (await res.text().catch(() => '')).slice(0, 200).replace(/\s+/g, ' ');
    if (res.status === 429) {
      const wait = retryAfterMs(res.headers.get('retry-after'));
      if (wait !== null && wait <= maxWait && retries < (options.maxRateLimitRetries ?? 3)) {
        await new Promise((resolve) => setTimeout(resolve, wait));
        continue;
      }
      throw new FaultlineError('FAULTLINE_ERR_UNAVAILABLE', `${options.receiver}: rate limited (429)${wait !== null ? `, retry after ${Math.ceil(wait / 1000)} s` : ''}`, {
        ...(wait !== null ? { retryAfter: Math.ceil(wait / 1000) } : {}),
      });
    }
    if (res.status >= 500 || res.status === 408) throw new FaultlineError('FAULTLINE_ERR_UNAVAILABLE', `${options.receiver}: answered ${res.status} ${detail}`.trim());
    throw new FaultlineError('FAULTLINE_ERR_ALERT_CHANNEL_CONFIG', `${options.receiver}: refused with ${res.status} ${detail}`.trim());
  }
}
