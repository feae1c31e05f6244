import { randomBytes } from 'node:crypto';

/**
 * Events shaped like @sentry/node 11 sends them, about 50 KB as JSON: a chained exception (cause and
 * outer error) with 35 frames each and source context, 100 breadcrumbs with data, the SDK's contexts,
 * modules and integration list, request data. Drawn from `issues` distinct stacks so they group.
 */
const WORDS = ['user', 'cart', 'checkout', 'invoice', 'session', 'profile', 'order', 'payment', 'search', 'report', 'config', 'token'];
const INTEGRATIONS = ['EventFilters', 'FunctionToString', 'LinkedErrors', 'Dedupe', 'RequestData', 'Console', 'Http', 'NodeFetch',
  'OnUncaughtException', 'OnUnhandledRejection', 'ContextLines', 'LocalVariablesAsync', 'Context', 'ChildProcess', 'Modules', 'Express', 'Postgres'];

function frames(issue: number, depth: number, seed: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < depth; i++) {
    const inApp = i % 3 !== 0;
    const file = inApp ? `/srv/app/src/${WORDS[(issue + i) % WORDS.length]}/${seed}-${i % 7}.js` : `/srv/app/node_modules/express/lib/router/layer-${i}.js`;
    out.push({
      filename: file,
      module: file.split('/').pop()!.replace(/\.js$/, ''),
      function: inApp ? `handle${WORDS[(issue * 7 + i) % WORDS.length]}${issue}_${i}` : 'Layer.handle [as handle_request]',
      lineno: 10 + i * 3,
      colno: 5 + (i % 9),
      in_app: inApp,
      ...(inApp
        ? {
            pre_context: [`  // step ${i} of the ${seed} flow`, `  const input = await load(req.params.id, { retries: ${i} });`, '  if (!input) {', '    return res.status(404).end();', '  }'],
            context_line: `  const result = process${WORDS[i % WORDS.length]}(input, options.${WORDS[(i + 3) % WORDS.length]});`,
            post_context: ['  metrics.increment("ok");', '  return res.json(result);', '}', '', `export default handle${i};`],
          }
        : {}),
    });
  }
  return out;
}

export function createSdkEventGenerator(options: { issues: number; targetBytes?: number }) {
  const stacks = Array.from({ length: options.issues }, (_, i) => ({
    cause: frames(i, 35, `c${i}`),
    outer: frames(i, 35, `o${i}`),
    type: ['TypeError', 'RangeError', 'Error', 'SyntaxError'][i % 4],
  }));
  const modules = Object.fromEntries(Array.from({ length: 180 }, (_, i) => [`package-${WORDS[i % WORDS.length]}-${i}`, `^${i % 9}.${i % 13}.${i % 5}`]));
  let n = 0;

  return function nextEvent(now = Date.now()): Record<string, unknown> & { event_id: string } {
    const issue = n++ % stacks.length;
    const stack = stacks[issue];
    const breadcrumbs = Array.from({ length: 100 }, (_, i) => ({
      timestamp: now / 1000 - (100 - i) * 0.25,
      category: i % 2 ? 'http' : 'console',
      level: 'info',
      message: i % 2 ? undefined : `processed ${WORDS[i % WORDS.length]} ${i} of batch ${n}`,
      type: i % 2 ? 'http' : 'default',
      data: i % 2 ? { url: `https://api.internal/v1/${WORDS[i % WORDS.length]}/${i}`, method: 'GET', status_code: 200 } : { logger: 'console', arguments: [`item ${i}`] },
    }));
    return {
      event_id: randomBytes(16).toString('hex'),
      timestamp: now / 1000,
      platform: 'node',
      level: 'error',
      server_name: `web-${issue % 8}`,
      release: 'shop@2.3.1',
      environment: 'production',
      exception: {
        values: [
          { type: 'SyntaxError', value: `Unexpected token in JSON at position ${n % 100}`, stacktrace: { frames: stack.cause }, mechanism: { type: 'chained', source: 'cause', exception_id: 1, parent_id: 0, handled: true } },
          { type: stack.type, value: `request failed for ${WORDS[issue % WORDS.length]} ${n}`, stacktrace: { frames: stack.outer }, mechanism: { type: 'auto.middleware.express', handled: false, exception_id: 0 } },
        ],
      },
      breadcrumbs,
      tags: { region: 'eu-west-1', tenant: `t${n % 50}` },
      user: { id: String(n % 5000), email: `user${n % 5000}@example.com`, ip_address: '10.0.0.1' },
      request: { url: `https://shop.example/api/${WORDS[issue % WORDS.length]}/${n}`, method: 'POST', headers: { 'user-agent': 'Mozilla/5.0', accept: 'application/json', host: 'shop.example' }, query_string: `page=${n % 20}` },
      contexts: {
        trace: { trace_id: randomBytes(16).toString('hex'), span_id: randomBytes(8).toString('hex') },
        runtime: { name: 'node', version: 'v20.20.2' },
        os: { kernel_version: '6.1.0', name: 'Debian', version: '12.11' },
        device: { arch: 'x64', memory_size: 25276514304, free_memory: 23538274304, processor_count: 2, cpu_description: 'Intel(R) Xeon(R) Processor' },
        app: { app_start_time: new Date(now - 3600_000).toISOString(), app_memory: 194424832 },
        culture: { locale: 'en-US', timezone: 'UTC' },
      },
      modules,
      sdk: { name: 'sentry.javascript.node', version: '11.11.0', integrations: INTEGRATIONS, packages: [{ name: 'npm:@sentry/node', version: '11.11.0' }] },
    };
  };
}
