import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Every counter and histogram Faultline exposes on /metrics, in one registry per instance. */
export function createMetrics(options: { defaultMetrics?: boolean } = {}) {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'faultline_' });
  const registers = [registry];
  return {
    registry,
    eventsAccepted: new Counter({
      name: 'faultline_events_accepted_total',
      help: 'Events accepted by ingest (answered 2xx)',
      labelNames: ['route'],
      registers,
    }),
    eventsRejected: new Counter({
      name: 'faultline_events_rejected_total',
      help: 'Ingest requests refused (each once, by its error code and HTTP status), and events refused inside a batch that was otherwise accepted',
      labelNames: ['code', 'status'],
      registers,
    }),
    eventsFiltered: new Counter({
      name: 'faultline_events_filtered_total',
      help: 'Events dropped by an ingest:filter handler',
      registers,
    }),
    eventsStored: new Counter({
      name: 'faultline_events_stored_total',
      help: 'Events written to storage',
      registers,
    }),
    eventsDuplicate: new Counter({
      name: 'faultline_events_duplicate_total',
      help: 'Events dropped as re-sends of a stored event_id',
      registers,
    }),
    itemsDropped: new Counter({
      name: 'faultline_envelope_items_dropped_total',
      help: 'Envelope items accepted and dropped, by item type',
      labelNames: ['type'],
      registers,
    }),
    sdkDiscardedEvents: new Counter({
      name: 'faultline_sdk_discarded_events_total',
      help: 'Events Sentry SDKs report (client_report items) they dropped before sending, by reason and category',
      labelNames: ['reason', 'category'],
      registers,
    }),
    issuesCreated: new Counter({ name: 'faultline_issues_created_total', help: 'New issues', registers }),
    issuesRegressed: new Counter({ name: 'faultline_issues_regressed_total', help: 'Reopened issues', registers }),
    alertsTriggered: new Counter({ name: 'faultline_alerts_triggered_total', help: 'Alerts raised by rules, by trigger type', labelNames: ['trigger'], registers }),
    alertDeliveries: new Counter({
      name: 'faultline_alert_deliveries_total',
      help: 'Alert delivery attempts by channel and outcome (sent, retry, failed)',
      labelNames: ['channel', 'outcome'],
      registers,
    }),
    jobAttempts: new Counter({
      name: 'faultline_job_attempts_total',
      help: 'Job attempts by outcome (done, failed, deadline)',
      labelNames: ['type', 'outcome'],
      registers,
    }),
    jobsDeadLettered: new Counter({
      name: 'faultline_jobs_dead_lettered_total',
      help: 'Jobs given up (reason: attempts or deadline), kept as dead letters',
      labelNames: ['type', 'reason'],
      registers,
    }),
    batchSize: new Histogram({
      name: 'faultline_batch_size',
      help: 'Events per processed batch',
      buckets: [1, 5, 10, 50, 100, 250, 500, 1000, 2000],
      registers,
    }),
    batchSeconds: new Histogram({
      name: 'faultline_batch_duration_seconds',
      help: 'Time to process and commit one batch',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    batchFailures: new Counter({ name: 'faultline_batch_failures_total', help: 'Batches that failed', registers }),
    queuePending: new Gauge({ name: 'faultline_queue_pending', help: 'Events waiting in the queue', registers }),
    ingestThreadWaiting: new Gauge({
      name: 'faultline_ingest_thread_waiting',
      help: 'Request bodies waiting for an ingest thread (ingestThreads); high means the threads are the limit',
      registers,
    }),
    hookFailures: new Counter({
      name: 'faultline_hook_failures_total',
      help: 'Hook handlers that threw (any kind) or outlived their timeout (notify), by hook and plugin',
      labelNames: ['hook', 'plugin'],
      registers,
    }),
    retentionEvents: new Counter({
      name: 'faultline_retention_events_total',
      help: 'Events retention handled, by what it did (archived, dropped, event_id_pruned)',
      labelNames: ['action'],
      registers,
    }),
    retentionFailures: new Counter({ name: 'faultline_retention_step_failures_total', help: 'Retention steps that failed (retried by the next run)', registers }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
