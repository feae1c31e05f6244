import { definePlugin, type FaultlinePlugin } from '@faultline/core';

/**
 * `--scrub-module` (BENCH_SCRUB_MODULE=1) in bench:ingest and bench:sentry: a plugin that taps
 * `ingest:scrub` through an ingest module, to compare ingest with and without one in the same run.
 * The module's URL is relative to where this code runs: bench/shared/ from the sources, bench/<name>/
 * once bundled (server-entry.ts); both reach bench/shared/ through `..`.
 */
/**
 * The keys it filters. The bench's events carry none of them, so the module changes no event and ingest
 * keeps their bytes as sent; BENCH_SCRUB_KEYS=`...|email` makes it change every one (they all have a
 * user email), to measure a plugin whose changes must be serialized.
 */
const DEFAULT_KEYS = 'password|secret|token|authorization|cookie';

export function benchScrubPlugins(): FaultlinePlugin[] {
  if (process.env.BENCH_SCRUB_MODULE !== '1') return [];
  return [
    definePlugin({
      name: 'bench-scrubber',
      core: '^0.1.0',
      setup(ctx) {
        ctx.hooks.module(new URL('../shared/scrub-module.mjs', import.meta.url), { keys: process.env.BENCH_SCRUB_KEYS || DEFAULT_KEYS });
      },
    }),
  ];
}
