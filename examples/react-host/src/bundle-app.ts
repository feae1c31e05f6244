import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Bundles the React app with the widgets it imports (from their sources in this repository). */
export async function bundleApp(options: { outfile?: string } = {}): Promise<string> {
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: ['src/main.tsx'],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome111', 'firefox115', 'safari16.4'],
    jsx: 'automatic',
    conditions: ['faultline-source'],
    define: { 'process.env.NODE_ENV': '"production"' },
    write: Boolean(options.outfile),
    outfile: options.outfile ?? 'dist/app.js',
    logLevel: 'silent',
  });
  return result.outputFiles?.[0]?.text ?? '';
}
