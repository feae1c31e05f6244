/**
 * The ingest module of bench/shared/scrub-plugin.ts: a small PII scrubber of the kind a real plugin
 * runs on every event, loaded by each ingest thread. Plain JavaScript: threads import it natively.
 * Copy-on-write (IngestModuleOptions in core): an event with nothing to filter is returned as it is,
 * so ingest can keep its bytes as sent; a filtered one is a copy of the parts it changes.
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
    'ingest:scrub': (event) => {
      const extra = scrub(event.extra);
      const tags = scrub(event.tags);
      const user = scrub(event.user);
      const headers = scrub(event.request?.headers);
      if (extra === event.extra && tags === event.tags && user === event.user && headers === event.request?.headers) return event;
      return { ...event, extra, tags, user, request: event.request && { ...event.request, headers } };
    },
  };
}
benchScrubber.copyOnWrite = true;
