/** Bundles every component into one self-contained `widgets.js` (an IIFE, so a plain script tag loads it). */
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

export interface BundleResult {
  code: string;
  metafile: esbuild.Metafile;
}

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
