#!/usr/bin/env node
// The built CLI; `npm run build` makes dist/. In this repo, `npm run faultline -- <args>` runs it from source.
import '../dist/cli.js';
