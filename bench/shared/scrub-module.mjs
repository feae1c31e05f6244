/**
 * The ingest module of bench/shared/scrub-plugin.ts: a small PII scrubber of the kind a real plugin
 * runs on every event, loaded by each ingest thread. Plain JavaScript: threads import it natively.
 */
export default function benchScrubber(options) {
  const keys = new RegExp(options.keys, 'i');
  const scrub = (record) => {
    if (!record || typeof record !== 'object') return record;
    let out = record;
    for (const key of Object.keys(record)) {
      if (keys.test(key)) {
        if (out === record) out = { ...record };
        out[key] = '[Filtered]';
      }
    }
    return out;
  };
  return {
    'ingest:scrub': (event) => ({
      ...event,
      extra: scrub(event.extra),
      tags: scrub(event.tags),
      user: event.user && { ...event.user, email: event.user.email === undefined ? undefined : '[Filtered]' },
      request: event.request && { ...event.request, headers: scrub(event.request.headers) },
    }),
  };
}
