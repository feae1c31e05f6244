#!/usr/bin/env -S node --max-old-space-size=1024
// The built CLI (`npm run build` makes dist/); in this repo `npm run faultline -- <args>` runs it from source.
// The heap limit is far above what Faultline keeps live (~30 MB), but any explicit limit makes V8 collect
// before garbage piles up: without it, V8 sizes the heap from the machine's memory and a busy ingest
// process peaks near 300 MB instead of 150 MB (bench:ingest).
import '../dist/cli.js';
