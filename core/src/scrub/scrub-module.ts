/**
 * Core's scrubbing, as an ingest module (hooks/ingest-module.ts). createFaultline and every ingest
 * thread add its handlers (`HookRegistry.addBuiltin`), so it runs on the ingest threads (and on the
 * main thread for `faultline.ingest()` and threads off) and costs no thread. A project's rules come with each job (`context.scrubbing`, with their version); a
 * thread compiles them once per project and version.
 */
import { defineIngestModule } from '../hooks/ingest-module.js';
import { compileScrubber, type ScrubEvent } from './scrub-event.js';
import { DEFAULT_SCRUBBING_RULES } from './scrubbing-rules.js';

/** Compiled rule sets kept per thread; past this many projects the oldest are compiled again when seen. */
const MAX_PROJECTS = 1_000;

export default defineIngestModule(() => {
  const defaults = compileScrubber(DEFAULT_SCRUBBING_RULES);
  const compiled = new Map<number, { version: number; scrub: ScrubEvent }>();

  function scrubberFor(projectId: number, scrubbing: { version: number } & typeof DEFAULT_SCRUBBING_RULES | undefined): ScrubEvent {
    if (!scrubbing || scrubbing.version === 0) return defaults;
    const known = compiled.get(projectId);
    if (known?.version === scrubbing.version) return known.scrub;
    const scrub = compileScrubber(scrubbing);
    compiled.delete(projectId);
    if (compiled.size >= MAX_PROJECTS) compiled.delete(compiled.keys().next().value!);
    compiled.set(projectId, { version: scrubbing.version, scrub });
    return scrub;
  }

  return {
    'ingest:scrub': (event, context) => scrubberFor(context.projectId, context.scrubbing)(event),
  };
}, { copyOnWrite: true }); // compileScrubber copies what it filters and returns an event it left alone as it is
