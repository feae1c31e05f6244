import { fileURLToPath } from 'node:url';
import path from 'node:path';

/**
 * How a bench runs its server process. By default as production does: the built packages (dist/, so
 * `npm run build` first) on plain node with the flags `faultline serve` uses; tsx alone would add ~30 MB
 * of RSS. BENCH_SERVER_SOURCE=1 runs the TypeScript sources through tsx instead.
 * BENCH_SERVER_NODE_FLAGS replaces the node flags (GC experiments).
 */
export async function serverEntry(scriptUrl: URL): Promise<{ script: string; execArgv: string[] }> {
  const script = fileURLToPath(scriptUrl);
  const flags = process.env.BENCH_SERVER_NODE_FLAGS?.split(/\s+/).filter(Boolean);
  if (process.env.BENCH_SERVER_SOURCE === '1') {
    return { script, execArgv: ['--import', 'tsx', '--conditions=faultline-source', ...(flags ?? [])] };
  }
  const { build } = await import('esbuild');
  const outfile = path.join(path.dirname(script), `.${path.basename(script, '.ts')}.built.mjs`);
  // Packages stay imports, resolved to their dist/; only the bench's own files are bundled.
  await build({ entryPoints: [script], outfile, bundle: true, packages: 'external', platform: 'node', format: 'esm', target: 'node20', logLevel: 'error' });
  return { script: outfile, execArgv: flags ?? ['--max-old-space-size=1024', '--max-semi-space-size=4', '--heap-growing-percent=100'] };
}
