/**
 * `npm run size -w @faultline/widgets`: the size of widgets.js, minified and gzipped, and what each part
 * (Lit, the Vaadin grid and its base packages, uPlot, Faultline's own code) adds to the minified bundle.
 */
import { gzipSync } from 'node:zlib';
import { bundleWidgets } from '../src/build/bundle-widgets.js';

function partOf(input: string): string {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  if (!m) return 'faultline widgets (src/)';
  const name = m[1];
  if (name === 'lit' || name === 'lit-html' || name === 'lit-element' || name.startsWith('@lit/')) return 'lit';
  if (name === '@vaadin/grid') return '@vaadin/grid';
  if (name.startsWith('@vaadin/')) return '@vaadin/* (component base, a11y, checkbox, ...)';
  return name;
}

const { code, metafile } = await bundleWidgets();
const output = Object.values(metafile.outputs)[0];
const parts = new Map<string, number>();
for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) parts.set(partOf(input), (parts.get(partOf(input)) ?? 0) + bytesInOutput);
const minified = Buffer.byteLength(code);
const gzipped = gzipSync(code, { level: 9 }).length;
process.stdout.write(
  `${JSON.stringify(
    {
      minifiedBytes: minified,
      gzippedBytes: gzipped,
      parts: Object.fromEntries(
        [...parts]
          .sort((a, b) => b[1] - a[1])
          .map(([name, bytes]) => [name, { minifiedBytes: bytes, share: Math.round((bytes / minified) * 1000) / 1000 }]),
      ),
    },
    null,
    2,
  )}\n`,
);
