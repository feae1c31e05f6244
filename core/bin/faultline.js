#!/usr/bin/env -S node --max-old-space-size=1024 --max-semi-space-size=4
// The built CLI (`npm run build` makes dist/); in this repo `npm run faultline -- <args>` runs it from source.
// The heap limit is far above what Faultline keeps live (~30 MB), but any explicit limit makes V8 collect
// before garbage piles up: without it, V8 sizes the heap from the machine's memory and a busy ingest
// process peaks near 300 MB instead of 150 MB (bench:ingest). A 4 MB semi-space (default 16) keeps V8
// from starting old-generation collections early to make room for a full young generation: with ingest
// threads the main thread allocates little, and those collections were a quarter of its CPU at 50 KB
// events (bench:sentry ~750 -> ~810 events/s; bench:ingest RSS 182 -> 161 MB).
import '../dist/cli.js';
