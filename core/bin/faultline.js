#!/usr/bin/env -S node --max-old-space-size=1024 --max-semi-space-size=4 --heap-growing-percent=100
// The built CLI (`npm run build` makes dist/); in this repo `npm run faultline -- <args>` runs it from source.
// The heap limit is far above what Faultline keeps live (~30 MB), but any explicit limit makes V8 collect
// before garbage piles up: without it, V8 sizes the heap from the machine's memory and a busy ingest
// process peaks near 300 MB instead of 150 MB (bench:ingest). A 4 MB semi-space (default 16) keeps V8
// from starting old-generation collections early to make room for a full young generation: with ingest
// threads the main thread allocates little, and those collections were a quarter of its CPU at 50 KB
// events (bench:sentry ~750 -> ~810 events/s; bench:ingest RSS 182 -> 161 MB). Requests that wait for
// their batch live long enough to be promoted, and V8 sized the old generation so tightly (~30 MB live,
// a full collection every ~5 MB promoted, 4-6 a second) that concurrent marking took a tenth of the
// server's CPU; letting it grow to twice the live size makes those collections rarer (bench:sentry
// ~+8%, server CPU per event -0.07 ms; bench:ingest RSS 160 -> 185 MB).
import '../dist/cli.js';
