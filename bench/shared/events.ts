import { createRandom, type Random } from './random.js';

/**
 * Realistic Node error events of about 3.5 KB as JSON: 15-20 frames (in-app ones with context lines),
 * 10-14 breadcrumbs, tags, user, contexts, request, release and environment. Events are drawn from
 * `issues` distinct stack templates (skewed, so a few issues are hot), so they group into that many
 * issues.
 */
export interface EventGeneratorOptions {
  issues: number;
  seed?: number;
}

interface Frame {
  filename: string;
  function: string;
  lineno: number;
  colno: number;
  in_app?: boolean;
  context_line?: string;
  pre_context?: string[];
  post_context?: string[];
}

interface Template {
  type: string;
  value: string;
  frames: Frame[];
  transaction: string;
}

const ERROR_TYPES = ['TypeError', 'RangeError', 'ReferenceError', 'Error', 'SyntaxError', 'ValidationError', 'TimeoutError'];
const MESSAGES = [
  "Cannot read properties of undefined (reading '{w}')",
  '{w} is not a function',
  'Invalid array length at {w}',
  '{w} is not defined',
  'Request to /api/{w} timed out after 30000ms',
  'Unexpected token < in JSON at position 0 ({w})',
  'Validation failed for field "{w}"',
];
const WORDS = ['user', 'cart', 'checkout', 'invoice', 'session', 'profile', 'order', 'payment', 'search', 'report',
  'config', 'token', 'widget', 'upload', 'export', 'billing', 'inventory', 'shipment', 'coupon', 'account'];
const DIRS = ['src/routes', 'src/services', 'src/models', 'src/lib', 'src/controllers', 'src/middleware', 'src/jobs'];
const LIB_FRAMES = [
  ['node_modules/express/lib/router/layer.js', 'Layer.handle [as handle_request]'],
  ['node_modules/express/lib/router/index.js', 'next'],
  ['node_modules/express/lib/router/route.js', 'Route.dispatch'],
  ['node_modules/pg/lib/client.js', 'Client._handleReadyForQuery'],
  ['node_modules/sequelize/lib/model.js', 'Function.findAll'],
  ['node:internal/process/task_queues', 'processTicksAndRejections'],
  ['node_modules/body-parser/lib/read.js', 'invokeCallback'],
  ['node:events', 'EventEmitter.emit'],
] as const;
const CRUMB_CATEGORIES = ['http', 'console', 'query', 'navigation', 'ui.click'];

function makeTemplate(rand: Random, index: number): Template {
  const word = `${rand.pick(WORDS)}${index}`;
  const frameCount = rand.int(15, 20);
  const frames: Frame[] = [];
  for (let i = 0; i < frameCount; i++) {
    const inApp = i >= frameCount - 5 || rand.next() < 0.15;
    if (inApp) {
      const fn = `${rand.pick(WORDS)}${rand.pick(['Handler', 'Service', 'Loader'])}.${rand.pick(['run', 'load', 'save', 'apply'])}${i}`;
      const frame: Frame = {
        filename: `${rand.pick(DIRS)}/${rand.pick(WORDS)}-${index % 50}.ts`,
        function: fn,
        lineno: rand.int(10, 900),
        colno: rand.int(1, 80),
        in_app: true,
      };
      if (i >= frameCount - 3) frame.context_line = `    const r = await ${fn.split('.')[0]}.${rand.pick(WORDS)}(input);`;
      frames.push(frame);
    } else {
      // Library frames leave in_app to the server (it decides from the path), as some SDKs do.
      const [file, fn] = rand.pick(LIB_FRAMES);
      frames.push({ filename: file, function: fn, lineno: rand.int(10, 900), colno: rand.int(1, 80) });
    }
  }
  const top = frames[frames.length - 1];
  top.pre_context = ['  try {', `    const ${word} = input.${word};`];
  top.post_context = ['  } catch (err) {', '    throw err;'];
  return {
    type: rand.pick(ERROR_TYPES),
    value: rand.pick(MESSAGES).replace('{w}', word),
    frames,
    transaction: `${rand.pick(['GET', 'POST', 'PUT'])} /api/${rand.pick(WORDS)}/:id`,
  };
}

export function createEventGenerator(options: EventGeneratorOptions) {
  const rand = createRandom(options.seed ?? 42);
  const templates = Array.from({ length: options.issues }, (_, i) => makeTemplate(rand, i));
  let n = 0;

  /** Index of the template (issue) of the next event: skewed, every template used. */
  function templateIndex(): number {
    if (n < templates.length) return n;
    return Math.floor(templates.length * rand.next() ** 2);
  }

  return function nextEvent(now = Date.now()): Record<string, unknown> {
    const t = templates[templateIndex()];
    n++;
    const userId = rand.int(1, 5000);
    const crumbs = [];
    const crumbCount = rand.int(10, 14);
    for (let i = 0; i < crumbCount; i++) {
      const category = rand.pick(CRUMB_CATEGORIES);
      crumbs.push({
        timestamp: Math.round(now / 1000) - (crumbCount - i),
        category,
        message: category === 'http' ? `GET /api/${rand.pick(WORDS)}/${rand.int(1, 999)}` : `${rand.pick(WORDS)} ok`,
      });
    }
    return {
      event_id: rand.hex(32),
      timestamp: now / 1000,
      level: 'error',
      platform: 'node',
      server_name: `web-${rand.int(1, 8)}`,
      release: `app@1.${rand.int(0, 3)}.0`,
      environment: rand.next() < 0.8 ? 'production' : 'staging',
      transaction: t.transaction,
      exception: {
        values: [{
          type: t.type,
          value: t.value,
          mechanism: { type: 'onunhandledrejection', handled: false },
          stacktrace: { frames: t.frames.map((f) => ({ ...f, lineno: f.lineno + (n % 3) })) },
        }],
      },
      breadcrumbs: crumbs,
      user: { id: String(userId), email: `user${userId}@example.com`, ip_address: `10.0.${userId % 250}.${userId % 200}` },
      tags: { region: rand.pick(['eu-west-1', 'us-east-1', 'ap-south-1']), feature: rand.pick(WORDS), plan: rand.pick(['free', 'pro']) },
      contexts: {
        runtime: { name: 'node', version: 'v20.20.0' },
        os: { name: 'Linux', version: '6.1.0' },
      },
      request: {
        url: `https://shop.example.com/api/${rand.pick(WORDS)}/${rand.int(1, 99999)}`,
        method: 'POST',
        headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64)' },
        query_string: `page=${rand.int(1, 20)}`,
      },
      sdk: { name: 'faultline.node', version: '0.1.0' },
    };
  };
}
