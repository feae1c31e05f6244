/** Real Chromium and the SDK's script-tag bundle, for the browser end-to-end tests. */
import * as esbuild from 'esbuild';
import express, { type Express } from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { withIgnoreList } from '../../scripts/ignore-list.mjs';

/**
 * The IIFE bundle as sdk/scripts/build.mjs builds it (window.Faultline), to serve as `/sdk.js`, with its
 * ignore-listed source map, to serve as `/sdk.js.map`.
 */
export async function sdkBundle(): Promise<{ js: string; map: string }> {
  const bundle = await esbuild.build({
    entryPoints: ['sdk/src/browser/global.ts'],
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    define: { __DEBUG__: 'false' },
    sourcemap: 'linked',
    outfile: 'sdk.js',
    write: false,
  });
  const file = (ext: string) => bundle.outputFiles!.find((f) => f.path.endsWith(ext))!.text;
  return { js: file('sdk.js'), map: withIgnoreList(file('sdk.js.map')) };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A host app on its own loopback port, so its pages are on another origin than Faultline. */
export async function startPageServer(): Promise<{ app: Express; origin: string; stop(): Promise<void> }> {
  const app = express();
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    app,
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
