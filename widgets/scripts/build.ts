/** `npm run build -w @faultline/widgets`: the ES modules and types (tsc), then the bundled dist/widgets.js. */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { bundleWidgets } from '../src/build/bundle-widgets.js';

const root = fileURLToPath(new URL('..', import.meta.url));
execFileSync('npx', ['tsc', '-b', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
await bundleWidgets({ outfile: `${root}dist/widgets.js` });
