/**
 * bench:prepare — the CPU an ingest thread spends per event on the per-event pipeline (decode, map,
 * validate, normalize, the ingest hooks, the payload kept or serialized), by what taps the hooks, on
 * one thread and without HTTP, the queue or storage, so the figure moves only with that pipeline. Two
 * inputs: Sentry envelopes of ~50 KB as @sentry/browser sends them (plain), native single events of
 * ~3.9 KB, and native batches of 100 of them (all keep their bytes as sent when nothing changed them).
 * Beside them, in the same run,
 * `JSON.parse` of the same event bytes: what any ingest does at the least, the baseline of each ratio.
 * Modes run round-robin, so the machine's noise falls on all of them alike; CPU time, not wall time.
 *
 *   npm run bench:prepare -- [--events 400] [--rounds 7]
 * Prints one JSON object on stdout. Not a test: nothing here asserts.
 */
import { DEFAULT_LIMITS } from '../../core/src/config.js';
import { createEventValidator } from '../../core/src/event/validate-event.js';
import { HookRegistry } from '../../core/src/hooks/hook-registry.js';
import { startIngestModule } from '../../core/src/hooks/ingest-module.js';
import { runJob, type IngestJob } from '../../core/src/ingest/ingest-job.js';
import scrubModule from '../../core/src/scrub/scrub-module.js';
import { CORE } from '../../core/src/scrub/scrubbing-rules.js';
import { numberOption } from '../shared/args.js';
import { createEventGenerator } from '../shared/events.js';
import { progress } from '../shared/stats.js';
import { createSdkEventGenerator } from '../sentry/events.js';

const events = numberOption('events', 'BENCH_EVENTS', 400);
const rounds = numberOption('rounds', 'BENCH_ROUNDS', 7);
const SCRUB_MODULE = new URL('../shared/scrub-module.mjs', import.meta.url);

/** What taps the per-event hooks in each mode. */
const MODES: Record<string, { scrubbing: boolean; moduleKeys?: string }> = {
  'no hooks': { scrubbing: false },
  // bench/shared/scrub-module.mjs alone, copy-on-write; the events carry none of these keys: it changes nothing.
  'a module that changes nothing': { scrubbing: false, moduleKeys: 'password|secret|token|authorization|cookie' },
  'core scrubbing': { scrubbing: true },
  'core scrubbing + a module that changes nothing': { scrubbing: true, moduleKeys: 'password|secret|token|authorization|cookie' },
  // Every event has a user email: the module filters it, so every event is serialized.
  'core scrubbing + a module that changes every event': { scrubbing: true, moduleKeys: 'password|email' },
};

async function hooksFor(mode: (typeof MODES)[string]): Promise<HookRegistry> {
  const hooks = new HookRegistry(() => undefined);
  if (mode.scrubbing) hooks.addBuiltin(CORE, await startIngestModule(scrubModule, undefined));
  if (mode.moduleKeys) hooks.forPlugin('bench-scrubber').module(SCRUB_MODULE, { keys: mode.moduleKeys });
  await hooks.loadModules();
  return hooks;
}

interface Input {
  kind: IngestJob['kind'];
  bodies: Buffer[];
  /** Each body's event bytes, for the JSON.parse baseline. */
  eventBytes: Buffer[];
  eventsPerBody: number;
}

function sentryInput(): Input {
  const next = createSdkEventGenerator({ issues: 50 });
  const bodies: Buffer[] = [];
  const eventBytes: Buffer[] = [];
  for (let i = 0; i < events; i++) {
    const event = next();
    const bytes = Buffer.from(JSON.stringify(event));
    eventBytes.push(bytes);
    bodies.push(Buffer.concat([Buffer.from(`${JSON.stringify({ event_id: event.event_id })}\n{"type":"event"}\n`), bytes]));
  }
  return { kind: 'envelope', bodies, eventBytes, eventsPerBody: 1 };
}

function nativeInput(): Input {
  const next = createEventGenerator({ issues: 300 });
  const bodies = Array.from({ length: events * 5 }, () => Buffer.from(JSON.stringify(next())));
  return { kind: 'native', bodies, eventBytes: bodies, eventsPerBody: 1 };
}

/** Native batches of 100, as the SDK and bench:ingest send them. */
function nativeBatchInput(): Input {
  const next = createEventGenerator({ issues: 300, seed: 7 });
  const bodies: Buffer[] = [];
  const eventBytes: Buffer[] = [];
  for (let b = 0; b < events / 20; b++) {
    const batch = Array.from({ length: 100 }, () => next());
    for (const e of batch) eventBytes.push(Buffer.from(JSON.stringify(e)));
    bodies.push(Buffer.from(JSON.stringify({ events: batch })));
  }
  return { kind: 'native', bodies, eventBytes, eventsPerBody: 100 };
}

const validate = createEventValidator(DEFAULT_LIMITS);

/** CPU microseconds per event of one pass over the input. */
async function pass(input: Input, hooks: HookRegistry | null): Promise<number> {
  const start = process.cpuUsage();
  if (hooks === null) {
    for (const bytes of input.eventBytes) JSON.parse(bytes.toString('utf8'));
  } else {
    for (const body of input.bodies) {
      const job: IngestJob = { kind: input.kind, body: new Uint8Array(body), encoding: 'identity', projectId: 1, receivedAt: Date.now(), clientIp: '10.0.0.1' };
      await runJob(job, DEFAULT_LIMITS, validate, hooks);
    }
  }
  const used = process.cpuUsage(start);
  return (used.user + used.system) / input.eventBytes.length;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round1 = (x: number) => Math.round(x * 10) / 10;

const registries = new Map<string, HookRegistry | null>([['JSON.parse (baseline)', null]]);
for (const [name, mode] of Object.entries(MODES)) registries.set(name, await hooksFor(mode));

const results: Record<string, unknown> = {};
for (const input of [sentryInput(), nativeInput(), nativeBatchInput()]) {
  const label = input.kind === 'envelope' ? 'sentry envelope, ~50 KB' : input.eventsPerBody === 1 ? 'native single event, ~3.9 KB' : 'native batch of 100, ~3.9 KB each';
  progress(`${label}: ${input.eventBytes.length} events, ${rounds} rounds of each mode, round-robin`);
  const samples = new Map<string, number[]>([...registries.keys()].map((k) => [k, []]));
  for (let r = -2; r < rounds; r++) {
    for (const [name, hooks] of registries) {
      const us = await pass(input, hooks);
      if (r >= 0) samples.get(name)!.push(us);
    }
  }
  const baseline = median(samples.get('JSON.parse (baseline)')!);
  results[label] = Object.fromEntries(
    [...samples].map(([name, xs]) => [name, { cpuUsPerEvent: round1(median(xs)), min: round1(Math.min(...xs)), ofBaseline: round1(median(xs) / baseline) }]),
  );
}

console.log(JSON.stringify({ bench: 'prepare', events, rounds, results }, null, 2));
