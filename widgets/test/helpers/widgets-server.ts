import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startPostgresTestServer, type PostgresTestServer } from '@faultline/plugin-storage-postgres/testing';
import type { FaultlineOptions } from '@faultline/core';
import { bundleWidgets } from '../../src/build/bundle-widgets.js';
import widgets from '../../src/index.js';

/** A real Faultline with the widgets plugin serving a bundle built from the sources for this run. */
export async function startWidgetsServer(options: Omit<FaultlineOptions, 'plugins'> = {}): Promise<PostgresTestServer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'faultline-widgets-'));
  const bundlePath = path.join(dir, 'widgets.js');
  await bundleWidgets({ outfile: bundlePath });
  const server = await startPostgresTestServer({ ...options, plugins: [widgets({ bundlePath })] });
  const stop = server.stop.bind(server);
  server.stop = async () => {
    await stop();
    await rm(dir, { recursive: true, force: true });
  };
  return server;
}

/** A host page with one script tag and the given body. */
export function hostPage(body: string, head = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>widgets test</title>
<script src="/faultline/widgets.js"></script>${head}
<style>body{font-family:system-ui,sans-serif;margin:16px}</style></head><body>${body}</body></html>`;
}
