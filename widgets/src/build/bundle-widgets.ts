/**
 * Bundles every component into one self-contained `widgets.js` (an IIFE, so a plain script tag loads it).
 * `npm run build` writes dist/widgets.js with it; tests and examples build a fresh one from the sources.
 * Needs esbuild (a build tool, not a runtime dependency of the plugin).
 */
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

/** The package root, from src/build/ or dist/build/. */
const root = fileURLToPath(new URL('../..', import.meta.url));

export interface BundleResult {
  code: string;
  metafile: esbuild.Metafile;
}

/** With `outfile` it writes the bundle there; without, it returns the code. */
export async function bundleWidgets(options: { outfile?: string } = {}): Promise<BundleResult> {
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: ['src/bundle.ts'],
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: ['chrome111', 'firefox115', 'safari16.4'],
    legalComments: 'none',
    metafile: true,
    write: Boolean(options.outfile),
    outfile: options.outfile ?? 'dist/widgets.js',
    logLevel: 'silent',
  });
  const code = result.outputFiles?.[0]?.text ?? '';
  return { code, metafile: result.metafile };
}
