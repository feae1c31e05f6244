/** `npm run build -w @faultline/example-react-host`: dist/app.js, the app and the widgets in one module. */
import { fileURLToPath } from 'node:url';
import { bundleApp } from '../src/bundle-app.js';

await bundleApp({ outfile: fileURLToPath(new URL('../dist/app.js', import.meta.url)) });
