import type { Logger } from 'pino';
import type { Metrics } from '../metrics.js';
import type { JobsProvider } from '../providers/jobs.js';
import type { PubSubProvider } from '../providers/pubsub.js';
import type { StorageProvider } from '../providers/storage.js';
import type { AlertChannelRegistry } from '../alert-config/alert-channel-registry.js';
import { createAlertDelivery } from './alert-delivery.js';
import { createAlertEvaluator } from './alert-evaluator.js';
import { DEFAULT_RULES_CACHE_MS, MINUTE_MS, type AlertOptions } from '../alert-config/alert-options.js';
import { AlertRuleCache } from './alert-rule-cache.js';
import { createAlertSummaries } from './alert-summaries.js';

export interface AlertingDeps {
  storage(): StorageProvider;
  jobs(): JobsProvider;
  pubsub(): PubSubProvider;
  alertChannels: AlertChannelRegistry;
  log: Logger;
  metrics: Metrics;
  options: AlertOptions;
  /** Rules are evaluated (and summaries scheduled) only on nodes that process events. */
  processEvents: boolean;
}

/**
 * Alerts in one Faultline: the delivery and digest jobs (defined on every node, since any node may run
 * jobs), and on nodes that process events the evaluation of rules from `pubsub` and the summary schedule.
 */
export function createAlerting(deps: AlertingDeps) {
  const issueUrl = deps.options.issueUrl ?? process.env.FAULTLINE_ISSUE_URL;
  const rules = new AlertRuleCache(deps.storage, deps.options.rulesCacheMs ?? DEFAULT_RULES_CACHE_MS);
  const delivery = createAlertDelivery(deps);
  const evaluator = createAlertEvaluator({ storage: deps.storage, rules, delivery, log: deps.log, metrics: deps.metrics, issueUrl, minuteMs: deps.options.minuteMs ?? MINUTE_MS });
  const summaries = createAlertSummaries({ storage: deps.storage, delivery, issueUrl, cron: deps.options.summaryCron });
  const inFlight = new Set<Promise<unknown>>();
  const unsubscribe: (() => void)[] = [];

  /** Runs a handler so that stop() can wait for it; a failure is logged, never thrown into pubsub. */
  function tracked<T>(what: string, handler: (message: T) => Promise<void>) {
    return (message: T) => {
      const run = handler(message)
        .catch((err: unknown) => deps.log.error({ err, what }, 'alert evaluation failed'))
        .finally(() => inFlight.delete(run));
      inFlight.add(run);
      return run;
    };
  }

  return {
    /** Before the jobs provider starts: job handlers are defined first. */
    start(): void {
      const jobs = deps.jobs();
      delivery.define(jobs);
      summaries.define(jobs);
      if (!deps.processEvents) return;
      summaries.schedule(jobs);
      const pubsub = deps.pubsub();
      unsubscribe.push(
        pubsub.subscribe('issue:created', tracked('issue:created', (m) => evaluator.onIssue('issue:created', m))),
        pubsub.subscribe('issue:regressed', tracked('issue:regressed', (m) => evaluator.onIssue('issue:regressed', m))),
        pubsub.subscribe('event:stored', tracked('event:stored', evaluator.onEvents)),
      );
    },
    /** Stops evaluating and waits for evaluations under way (their deliveries are jobs by then). */
    async stop(): Promise<void> {
      for (const off of unsubscribe.splice(0)) off();
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
    /** A rule changed through this node: read rules again on the next message. */
    invalidate(): void {
      rules.invalidate();
    },
    delivery,
    summaries,
  };
}

export type Alerting = ReturnType<typeof createAlerting>;
