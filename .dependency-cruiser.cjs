/**
 * Import rules that `npm test` checks (`npm run check:imports`): core's folders import one way, packages
 * only through public entries, no cycles, no Node built-ins in the browser SDK.
 *
 * Core's layers, lowest first. A module may import its own folder and anything on a lower level, never
 * a higher level nor another folder of its own level. A piece two layers share moves down to the layer
 * both may use (a body decoder into wire/, a type into event/ or providers/), instead of a lower folder
 * reaching up. A new folder or root file goes into this table, or the check names it.
 */
const CORE_LEVELS = [
  ['errors.ts', 'metrics.ts', 'roles.ts'], // the error catalogue, metrics, roles
  ['config.ts'], // configuration shapes and defaults
  ['event'], // the event: types, schema, validation
  ['providers'], // provider contracts: storage, queue, pubsub, rate limiter, ...
  ['hooks'], // hook names and the registry
  ['scrub'], // core's server-side scrubbing: default rules, each project's rules, the ingest handler
  ['openapi'], // how routes describe themselves (operations) and the answers' shapes, for the OpenAPI document
  ['alert-config'], // the alert channel registry (plugins register channels into it) and alerting's options
  ['plugins'], // the plugin contract and its loading
  ['faultline-options.ts'], // createFaultline's options
  ['wire'], // an ingest body from bytes to JSON values: read, decompress, decode
  ['sentry'], // the Sentry protocol: envelopes, store bodies, mapping Sentry events
  ['ingest'], // the per-event pipeline, ingest threads, payloads, batches
  // services on top of providers (some are folders that issue 10's other changes add)
  ['auth', 'audit', 'queue', 'pubsub', 'query', 'issues', 'jobs', 'search', 'archive', 'retention'],
  ['alerts'], // alert rules evaluated from pubsub, delivered through jobs
  ['admin'], // provisioning projects, keys and tokens (uses auth's secrets)
  ['http'], // routers: validate input, call the pipeline or a provider, answer
  ['resolve-config.ts'], // options and environment -> config
  ['create-faultline.ts'], // wires it all together
  ['cli'], // the command line
  ['index.ts'], // the public entry
  ['testing'], // @faultline/core/testing, the plugin author's kit
  ['cli.ts'], // the bin
];

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** `event` -> the folder's modules; `errors.ts` -> that root file. */
const pathOf = (entry) => (entry.endsWith('.ts') ? `core/src/${escape(entry)}$` : `core/src/${escape(entry)}/`);
const anyOf = (entries) => `^(${entries.map(pathOf).join('|')})`;

const layerRules = CORE_LEVELS.flatMap((level, i) =>
  level.map((entry) => {
    const below = CORE_LEVELS.slice(0, i).flat();
    return {
      name: `core-layers/${entry.replace(/\.ts$/, '')}`,
      severity: 'error',
      comment:
        `core/src/${entry} is on level ${i} of .dependency-cruiser.cjs; it may import its own folder and only ` +
        `${below.join(', ') || 'nothing else in core'}. Move the piece both need down instead of importing upward.`,
      from: { path: `^${pathOf(entry)}` },
      to: { path: '^core/src/', pathNot: anyOf([...below, entry]) },
    };
  }),
);

const coreEntries = CORE_LEVELS.flat();

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'core-layers/unlisted',
      severity: 'error',
      comment: 'Every folder and root file of core/src has a level in CORE_LEVELS (.dependency-cruiser.cjs): add this one there.',
      from: { path: '^core/src/', pathNot: anyOf(coreEntries) },
      to: {},
    },
    {
      name: 'core-frozen-payload-decoders',
      severity: 'error',
      comment:
        'A frozen payload decoder (core/src/ingest/payload-v<N>/) decodes old rows as they were written: it may use only its own copies ' +
        'and the event types, never live code that can change (see core/src/ingest/event-payload.ts).',
      from: { path: '^core/src/ingest/payload-v[0-9]+/' },
      to: { path: '^core/src/', pathNot: ['^core/src/ingest/payload-v[0-9]+/', '^core/src/event/types\\.ts$'] },
    },
    {
      name: 'core-imports-no-plugin',
      severity: 'error',
      comment: 'Core imports no plugin: a plugin plugs into hooks and providers, core never names it.',
      from: { path: '^core/src/' },
      to: { path: '^plugins/' },
    },
    {
      name: 'plugins-use-core-public-entries',
      severity: 'error',
      comment: "A plugin (or an example app) imports only @faultline/core's public entries (`.` and `./testing`), never a core file by path.",
      from: { path: '^(plugins|examples)/' },
      to: { path: '^core/', pathNot: '^core/(src|dist)/(index|testing/index|testing)\\.(ts|js|d\\.ts)$' },
    },
    {
      name: 'plugins-import-no-plugin',
      severity: 'error',
      comment: 'Plugins never import each other; they meet through core.',
      from: { path: '^plugins/([^/]+)/src/' },
      to: { path: '^plugins/', pathNot: '^plugins/$1/' },
    },
    {
      name: 'plugin-tests-use-public-entries',
      severity: 'error',
      comment:
        "A plugin's tests may run against another plugin (the Postgres storage, say), but only through its " +
        'public entries (its package index and /testing), as a user would.',
      from: { path: '^plugins/([^/]+)/test/' },
      to: { path: '^plugins/', pathNot: ['^plugins/$1/', '^plugins/[^/]+/src/(index|testing/index)\\.ts$'] },
    },
    {
      name: 'sdk-imports-no-core',
      severity: 'error',
      comment: 'The SDK runs in browsers and apps: it imports no Faultline package but the event types.',
      from: { path: '^sdk/src/' },
      to: { path: '^(core|plugins|examples)/' },
    },
    {
      name: 'event-types-are-type-only',
      severity: 'error',
      comment: '@faultline/event-types holds types only: import it with `import type`, so it never reaches a bundle.',
      from: {},
      to: { path: '^event-types/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'sdk-browser-no-node-builtins',
      severity: 'error',
      comment: 'The browser SDK (sdk/src/browser and what it uses: shared/, transports/ but node-http) imports no Node built-in.',
      from: { path: '^sdk/src/(browser|shared|transports)/', pathNot: '^sdk/src/transports/node-http\\.ts$' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'sdk-browser-no-node-code',
      severity: 'error',
      comment: "The browser SDK does not reach the Node SDK's modules (they use Node built-ins).",
      from: { path: '^sdk/src/(browser|shared|transports)/', pathNot: '^sdk/src/transports/node-http\\.ts$' },
      to: { path: '^sdk/src/(node/|transports/node-http\\.ts$)' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles: one of the modules in this loop should lean on a piece moved down, not on the other.',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      conditionNames: ['faultline-source', 'import', 'require', 'node', 'default', 'types'],
      exportsFields: ['exports'],
      mainFields: ['module', 'main', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
