import { sep } from 'node:path';
import type { FaultlineEvent } from '../shared/types.js';

/**
 * Frames under the app's root get a file name relative to it (`dist/cart.js`), keeping `abs_path`
 * as it was: the same error deployed in /srv/a and /srv/b then groups into one issue.
 */
export function relativeToRoot(event: FaultlineEvent, root: string): void {
  const prefix = root.endsWith(sep) ? root : root + sep;
  for (const value of event.exception?.values ?? []) {
    for (const frame of value.stacktrace?.frames ?? []) {
      const file = frame.filename;
      if (file && file.startsWith(prefix) && !file.includes(`${sep}node_modules${sep}`)) frame.filename = file.slice(prefix.length);
    }
  }
}
