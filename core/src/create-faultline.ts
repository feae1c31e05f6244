import express, { Router } from 'express';
import { pino, type Logger } from 'pino';
import { AlertChannelRegistry } from './alert-config/alert-channel-registry.js';
import { createAlerting } from './alerts/alerting.js';
import { KeyResolver } from './auth/key-resolver.js';
import { createGrantResolver } from './auth/grants.js';
import type { FaultlineConfig } from './config.js';
import type { FaultlineOptions } from './faultline-options.js';
import { FaultlineError } from './errors.js';
import { createEventValidator } from './event/validate-event.js';
import type { HookTaps } from './hooks/hook-registry.js';
import { HookRegistry, logAndCountFailures } from './hooks/hook-registry.js';
import { issueRoutes } from './http/issue-routes.js';
import { createIssueWorkflow, type IssueWorkflow } from './issues/issue-workflow.js';
import { adminRoutes } from './http/admin-routes.js';
import { createAuditLog } from './audit/audit-log.js';
import { alertRuleRoutes } from './http/alert-rule-routes.js';
import { clientIpResolver } from './http/client-ip.js';
import { healthRoutes } from './http/health-routes.js';
import { ingestRoutes } from './http/ingest-routes.js';
import { queryRoutes } from './http/query-routes.js';
import { crossSiteGuard } from './http/cross-site-guard.js';
import { securityHeaders } from './http/security-headers.js';
import { retentionRoutes } from './http/retention-routes.js';
import { errorHandler } from './http/send-error.js';
import { streamRoutes } from './http/stream-routes.js';
import type { ApiOperation } from './openapi/api-operation.js';
import { buildOpenApi } from './http/build-openapi.js';
import { openApiRoute } from './http/openapi-route.js';
import { createIngestPipeline, type AcceptResult } from './ingest/accept-events.js';
import { createIngestRunner } from './ingest/ingest-runner.js';
import { IngestThreads } from './ingest/ingest-threads.js';
import { createBatchProcessor } from './ingest/process-batch.js';
import { createMetrics, type Metrics } from './metrics.js';
import type { FaultlinePlugin } from './plugins/plugin-types.js';
import { ProviderRegistry } from './plugins/provider-registry.js';
import { setupPlugins } from './plugins/setup-plugins.js';
import { MemoryRateLimiter } from './providers/rate-limiter.js';
import { BlockedKeys } from './http/blocked-keys.js';
import { BodyBudget } from './wire/body-budget.js';
import type { StorageProvider } from './providers/storage.js';
import type { PubSubProvider } from './providers/pubsub.js';
import type { QueueProvider } from './providers/queue.js';
import type { JobsProvider } from './providers/jobs.js';
import type { SearchProvider } from './providers/search.js';
import type { ArchiveProvider } from './providers/archive.js';
import { createRetention, type Retention } from './retention/retention-service.js';
import { InProcessQueue } from './queue/in-process-queue.js';
import { InProcessPubSub } from './pubsub/in-process-pubsub.js';
import { InProcessJobs } from './jobs/in-process-jobs.js';
import { StorageSearch } from './search/storage-search.js';
import { LiveFeed } from './pubsub/live-feed.js';
import { resolveConfig } from './resolve-config.js';
import { createScrubbingSource } from './scrub/project-scrubbing.js';
import scrubModule from './scrub/scrub-module.js';
import { startIngestModule } from './hooks/ingest-module.js';
import { CORE } from './scrub/scrubbing-rules.js';

/** How long stop() lets running jobs finish before abandoning them. */
const JOBS_STOP_TIMEOUT_MS = 10_000;

export interface Faultline {
  /** The Express router with ingest, query, admin, health and metrics routes; mount it anywhere. */
  router(): Router;
  /** Starts plugins and the queue; createFaultline calls it unless `start: false`. Idempotent. */
  start(): Promise<void>;
  /** Stops taking events, drains the queue, waits for notifications, stops plugins. */
  stop(): Promise<void>;
  /** Ingests events for a project without HTTP (same pipeline, same guarantees). */
  ingest(projectId: number, events: unknown[]): Promise<AcceptResult>;
  hooks: HookTaps;
  /** Issue status changes (resolve, ignore, unresolve), announced on `issue:updated` and pubsub. */
  readonly issues: IssueWorkflow;
  readonly storage: StorageProvider;
  /** Alert channel types registered by plugins (`email`, `slack`, ...), with config validation. */
  readonly alertChannels: AlertChannelRegistry;
  /** Background work and cron-like schedules (default: in-process, schedules claimed through storage). */
  readonly jobs: JobsProvider;
  /** Issue and event search (default: the storage's own). */
  readonly search: SearchProvider;
  /** The archive plugin's provider, or null when none is configured. */
  readonly archive: ArchiveProvider | null;
  /** Retention: what the next run will do, and the run itself (also scheduled nightly on processing nodes). */
  readonly retention: Retention;
  /** Cross-process notifications: the live stream and alert rules subscribe here. */
  readonly pubsub: PubSubProvider;
  /** Where accepted events wait for processing (in-process, or Redis across processes). */
  readonly queue: QueueProvider;
  readonly metrics: Metrics;
  readonly config: FaultlineConfig;
  readonly log: Logger;
}

export async function createFaultline(options: FaultlineOptions & { start?: boolean } = {}): Promise<Faultline> {
  const config = resolveConfig(options);
  const log = options.logger ?? pino({ name: 'faultline', level: process.env.FAULTLINE_LOG_LEVEL ?? 'info' });
  const metrics = createMetrics({ defaultMetrics: options.defaultMetrics ?? true });
  const reportHookFailure = logAndCountFailures(log, metrics);
  const hooks = new HookRegistry(reportHookFailure, { notifyTimeoutMs: config.notifyTimeoutMs });
  const providers = new ProviderRegistry();
  const alertChannels = new AlertChannelRegistry();
  const pluginRouters: Router[] = [];
  const pluginOperations: { plugin: string; operations: ApiOperation[] }[] = [];
  const plugins: FaultlinePlugin[] = options.plugins ?? [];

  // Before the plugins' handlers, so theirs get an event core has scrubbed; ingest threads add it too.
  if (config.scrubbing) hooks.addBuiltin(CORE, await startIngestModule(scrubModule, undefined));
  await setupPlugins(plugins, { hooks, providers, alertChannels, log, metrics, config, routers: pluginRouters, operations: pluginOperations });
  // Here too, not only in ingest threads: for `ingest()`, for threads off, and to fail now if one cannot load.
  await hooks.loadModules();
  providers.provideDefault('queue', () => new InProcessQueue(config.batch));
  providers.provideDefault('rateLimiter', () => new MemoryRateLimiter());
  providers.provideDefault('pubsub', () => new InProcessPubSub(log.child({ provider: 'pubsub' })));
  providers.provideDefault('search', () => new StorageSearch(() => providers.need('storage')));
  providers.provideDefault('jobs', () => new InProcessJobs({
    claim: (name, slot) => providers.need('storage').claimScheduledRun(name, slot),
    log: log.child({ provider: 'jobs' }),
    metrics,
  }));
  providers.need('storage'); // fail now, with the hint, rather than on the first request

  const storage = () => providers.need('storage');
  const queue = () => providers.need('queue');
  const keys = new KeyResolver(storage);
  const blockedKeys = new BlockedKeys(); // one for every router() this instance hands out
  const bodyBudget = new BodyBudget(config.limits.maxBodyBytesInFlight, config.limits.maxKeyBodyBytesInFlight);
  const grant = createGrantResolver({ keys, authorize: options.authorize, adminToken: config.adminToken });
  const pipeline = createIngestPipeline({
    config,
    validate: createEventValidator(config.limits),
    hooks,
    queue,
    metrics,
    reportHookFailure,
    searchFields: () => storage().indexesSearchFields !== false,
  });
  const threads = config.ingestThreads > 0 && ingestThreadsAvailable(log) ? new IngestThreads(config.ingestThreads, config.limits, hooks.moduleSpecs(), config.scrubbing) : null;
  const scrubbing = config.scrubbing ? createScrubbingSource(storage) : null;
  const runIngest = createIngestRunner(pipeline, threads, config.limits, scrubbing ? (id) => scrubbing.of(id) : undefined);
  const clientIp = clientIpResolver(config.trustProxy);
  const liveFeed = new LiveFeed();
  const openStreams = new Set<() => void>();
  const audit = createAuditLog({ storage, log });

  const inFlight = new Set<Promise<unknown>>();
  const ingesting = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>) => {
    const tracked = p.catch((err) => log.error({ err }, 'background task failed')).finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  };
  const archive = () => (providers.has('archive') ? providers.need('archive') : null);
  const retention = createRetention({ storage, archive, log: log.child({ component: 'retention' }), metrics });
  const issues = createIssueWorkflow({ storage, hooks, pubsub: () => providers.need('pubsub'), track });
  const alerting = createAlerting({
    storage,
    jobs: () => providers.need('jobs'),
    pubsub: () => providers.need('pubsub'),
    alertChannels,
    log: log.child({ area: 'alerts' }),
    metrics,
    options: options.alerts ?? {},
    processEvents: config.processEvents,
  });

  let state: 'idle' | 'starting' | 'started' | 'stopped' = 'idle';
  let starting: Promise<void> | null = null;

  async function start(): Promise<void> {
    if (state === 'started') return;
    if (state === 'stopped') throw new FaultlineError('FAULTLINE_ERR_STOPPING', 'This Faultline was stopped; create a new one');
    starting ??= (async () => {
      state = 'starting';
      for (const plugin of plugins) await plugin.start?.();
      await providers.need('pubsub').start?.();
      liveFeed.attach(providers.need('pubsub'));
      await providers.need('search').start?.();
      alerting.start();
      await archive()?.start?.();
      if (config.processEvents && options.retentionSchedule !== false) retention.schedule(providers.need('jobs'), options.retentionSchedule);
      await providers.need('jobs').start();
      if (config.processEvents) queue().consume(createBatchProcessor({ storage: storage(), hooks, pubsub: providers.need('pubsub'), metrics, log, track }));
      await queue().start();
      state = 'started';
      log.info({ plugins: plugins.map((p) => p.name), queue: queue().name }, 'faultline started');
    })();
    return starting;
  }

  async function stop(): Promise<void> {
    if (state === 'stopped') return;
    const wasStarted = state !== 'idle';
    state = 'stopped';
    for (const closeStreams of openStreams) closeStreams();
    liveFeed.detach();
    if (wasStarted) {
      await starting?.catch(() => undefined);
      // ingest() calls made before stop() may still be reading their project's scrubbing rules: let them reach the queue.
      await Promise.all([...ingesting]);
      await queue().stop();
      while (inFlight.size > 0) await Promise.all([...inFlight]);
      await alerting.stop();
    }
    await threads?.close();
    await providers.need('jobs').stop({ timeoutMs: JOBS_STOP_TIMEOUT_MS }).catch((err: unknown) => log.error({ err }, 'jobs failed to stop'));
    await Promise.resolve(archive()?.stop?.()).catch((err: unknown) => log.error({ err }, 'archive failed to stop'));
    await Promise.resolve(providers.need('search').stop?.()).catch((err: unknown) => log.error({ err }, 'search failed to stop'));
    await Promise.resolve(providers.need('pubsub').stop?.()).catch((err: unknown) => log.error({ err }, 'pubsub failed to stop'));
    for (const plugin of [...plugins].reverse()) {
      try {
        await plugin.stop?.();
      } catch (err) {
        log.error({ err, plugin: plugin.name }, 'plugin failed to stop');
      }
    }
    log.info('faultline stopped');
  }

  function router(): Router {
    const r = Router();
    const ingestDeps = { keys, rateLimiter: () => providers.need('rateLimiter'), blockedKeys, bodyBudget, config, runIngest, clientIp, metrics };
    r.use(ingestRoutes(ingestDeps));
    r.use(healthRoutes({ storage, queue, metrics, maxPending: config.batch.maxPending, ingestWaiting: () => threads?.waiting() ?? 0 }));
    r.use(securityHeaders());
    r.use(openApiRoute(() => buildOpenApi({ limits: config.limits, operations: pluginOperations })));
    r.use('/api/v1', crossSiteGuard(config.trustedOrigins), express.json({ limit: '100kb' }));
    r.use(queryRoutes({ storage, search: () => providers.need('search'), grant, archive }));
    r.use(issueRoutes({ grant, issues }));
    r.use(adminRoutes({ storage, grant, keys, audit, forgetScrubbing: (id) => scrubbing?.forget(id) }));
    const streams = streamRoutes({ feed: liveFeed, grant });
    openStreams.add(streams.closeAll);
    r.use(streams);
    r.use(alertRuleRoutes({ storage, grant, alertChannels, changed: () => alerting.invalidate() }));
    r.use(retentionRoutes({ storage, grant }));
    for (const pluginRouter of pluginRouters) r.use(pluginRouter);
    r.use('/api', function notFound(_req, _res, next) {
      next(new FaultlineError('FAULTLINE_ERR_NOT_FOUND', 'No such route'));
    });
    r.use(errorHandler(log));
    return r;
  }

  const faultline: Faultline = {
    router,
    start,
    stop,
    ingest(projectId, events) {
      const accepting = (async () => pipeline.accept({ projectId, events, clientIp: undefined, route: 'api', scrubbing: await scrubbing?.of(projectId) }))();
      const settled = accepting.catch(() => undefined).finally(() => ingesting.delete(settled));
      ingesting.add(settled);
      return accepting;
    },
    hooks: hooks.forPlugin('host'),
    issues,
    get storage() {
      return storage();
    },
    get pubsub() {
      return providers.need('pubsub');
    },
    get queue() {
      return queue();
    },
    get jobs() {
      return providers.need('jobs');
    },
    get search() {
      return providers.need('search');
    },
    get archive() {
      return archive();
    },
    retention,
    alertChannels,
    metrics,
    config,
    log,
  };
  if (options.start !== false) {
    try {
      await start();
    } catch (err) {
      await stop().catch(() => undefined);
      throw err;
    }
  }
  return faultline;
}

function ingestThreadsAvailable(log: Logger): boolean {
  if (IngestThreads.available()) return true;
  log.warn('ingest threads are off: their worker file is missing (was @faultline/core bundled?); ingest runs on the main thread');
  return false;
}
