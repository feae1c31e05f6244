import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { layout } from './pages.js';

const escapeAttribute = (s: string) => s.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);

/** `@faultline/widgets`' bundle, built by `npm run build` (which `npm start` runs first). */
export function widgetsBundlePath(): string | null {
  const root = path.dirname(createRequire(import.meta.url).resolve('@faultline/widgets/package.json'));
  const bundle = path.join(root, 'dist', 'widgets.js');
  return existsSync(bundle) ? bundle : null;
}

/**
 * The shop's own admin page, in the shop's layout, built on Faultline's dashboard component. The
 * component reads the API with the shop's session (the host's `authorize(req)`), so it needs no token.
 */
export function adminPage(projectId: number, mountPath: string, widgetsReady: boolean): string {
  const body = widgetsReady
    ? `<faultline-dashboard base-url="${escapeAttribute(mountPath)}" project="${projectId}" theme="light"></faultline-dashboard>
<script src="/static/widgets.js"></script>`
    : `<p class="notice">The dashboard is not built yet: run <code>npm run build</code> and reload.</p>`;
  return layout(
    'Errors',
    `<h1>Errors in this shop</h1>
<p>Live from Faultline (project ${projectId}): search, open an issue for its stack trace and breadcrumbs, resolve or ignore it.</p>
${body}`,
    null,
    { wide: true },
  );
}
