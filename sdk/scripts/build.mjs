// Builds @faultline/sdk: tsc for dist/ (ESM + types, both entries), then esbuild for the browser IIFE
// dist/faultline.browser.min.js that exposes `window.Faultline` (one script tag, no bundler needed).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { withIgnoreList } from './ignore-list.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', join(root, 'tsconfig.build.json')], {
  stdio: 'inherit',
});
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

const out = join(root, 'dist', 'faultline.browser.min.js');
await esbuild.build({
  entryPoints: [join(root, 'src', 'browser', 'global.ts')],
  bundle: true,
  minify: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
  // strips debug code: `if (typeof __DEBUG__ == 'undefined' || __DEBUG__)` becomes dead
  define: { __DEBUG__: 'false' },
  outfile: out,
  legalComments: 'none',
  // a linked map whose sources are all ignore-listed: DevTools then shows the app's call site for console calls
  sourcemap: 'linked',
});
const { readFileSync, writeFileSync } = await import('node:fs');
writeFileSync(out + '.map', withIgnoreList(readFileSync(out + '.map', 'utf8')));
const code = readFileSync(out);
process.stdout.write(`${out}: ${code.length} bytes, ${gzipSync(code).length} gzipped\n`);
