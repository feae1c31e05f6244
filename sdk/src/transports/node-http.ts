import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Endpoint } from '../shared/dsn.js';
import type { Sender } from './types.js';

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Node sender: one POST with node:http(s), bounded by `timeout` ms; network errors reject. */
export function httpSender(ep: Endpoint, timeout = 10_000): Sender {
  const url = new URL(ep.url);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return function send(body) {
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          method: 'POST',
          timeout,
          headers: {
            'Content-Type': 'application/json',
            'Content-Length': Buffer.byteLength(body),
            Authorization: 'Bearer ' + ep.key,
          },
        },
        (res) => {
          res.resume();
          const h = res.headers;
          resolve({ status: res.statusCode || 0, retryAfter: h['retry-after'], remaining: header(h['ratelimit-remaining']) });
        },
      );
      req.on('timeout', () => req.destroy(new Error('faultline: request timed out')));
      req.on('error', reject);
      req.end(body);
    });
  };
}
